/** A small history router for the pages under /ui/ (the server answers index.html for all of them). */
import { useEffect, useState } from 'preact/hooks';
import { OBJECT_TYPES, type ObjectType } from './api.ts';

export type Route =
  | { name: 'records'; type: ObjectType }
  | { name: 'record'; type: ObjectType; id: string }
  | { name: 'call'; id: string; from?: { type: ObjectType; id: string } }
  | { name: 'not-found'; path: string };

export const BASE = '/ui';

const isType = (s: string | undefined): s is ObjectType =>
  !!s && (OBJECT_TYPES as readonly string[]).includes(s);

export function parseRoute(pathname: string, search: string): Route {
  const parts = pathname
    .replace(/^\/ui\/?/, '')
    .split('/')
    .filter(Boolean)
    .map(decodeURIComponent);
  if (parts.length === 0) return { name: 'records', type: 'contacts' };
  if (parts[0] === 'records' && isType(parts[1])) {
    return parts[2] ? { name: 'record', type: parts[1], id: parts[2] } : { name: 'records', type: parts[1] };
  }
  if (parts[0] === 'calls' && parts[1]) {
    const from = new URLSearchParams(search).get('from')?.split('/');
    return {
      name: 'call',
      id: parts[1],
      from: from && isType(from[0]) && from[1] ? { type: from[0], id: from[1] } : undefined,
    };
  }
  return { name: 'not-found', path: pathname };
}

export const recordsHref = (type: ObjectType) => `${BASE}/records/${type}`;
export const recordHref = (type: ObjectType, id: string) =>
  `${BASE}/records/${type}/${encodeURIComponent(id)}`;
export const callHref = (id: string, from?: { type: ObjectType; id: string }) =>
  `${BASE}/calls/${encodeURIComponent(id)}${from ? `?from=${from.type}/${encodeURIComponent(from.id)}` : ''}`;

export function navigate(href: string): void {
  history.pushState(null, '', href);
  dispatchEvent(new PopStateEvent('popstate'));
  scrollTo(0, 0);
}

/** The current route; re-renders on back/forward and on `navigate`. */
export function useRoute(): Route {
  const read = () => parseRoute(location.pathname, location.search);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const update = () => setRoute(read());
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return route;
}

/** Client-side navigation for plain left clicks on same-origin links inside /ui/. */
export function interceptLinks(event: MouseEvent): void {
  if (
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey
  )
    return;
  const anchor = (event.target as Element | null)?.closest?.('a');
  if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
  const url = new URL(anchor.href, location.href);
  if (url.origin !== location.origin || !url.pathname.startsWith(`${BASE}/`)) return;
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
}
