/** The shell: sign-in (pasted token or dev session), header navigation, and the routed page. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { devSession, OBJECT_TYPES, setUnauthorizedHandler, storedToken, storeToken } from '../lib/api.ts';
import { TYPE_LABEL } from '../lib/format.ts';
import { isTyping } from '../lib/keys.ts';
import { interceptLinks, type Route, recordsHref, useRoute } from '../lib/router.ts';
import { CallPage } from './call-page.tsx';
import { RecordPage } from './record-page.tsx';
import { RecordsPage } from './records-page.tsx';
import { SignIn } from './sign-in.tsx';

export function App() {
  const [token, setToken] = useState<string | null>(storedToken());
  const [checking, setChecking] = useState(!token);
  const route = useRoute();
  const firstRoute = useRef(true);

  // After client-side navigation, move focus to the new page (as a full page load would), so
  // keyboard and screen-reader users start at its top rather than on a vanished link.
  useEffect(() => {
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [route]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      storeToken(null);
      setToken(null);
    });
    if (token) return;
    // In dev mode the server hands loopback clients a token, so a local demo needs no pasting.
    void devSession().then((given) => {
      if (given) {
        storeToken(given);
        setToken(given);
      }
      setChecking(false);
    });
  }, []);

  useEffect(() => {
    // `/` focuses the page's search box, wherever the page keeps it.
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.defaultPrevented || isTyping(event.target)) return;
      const search = document.querySelector<HTMLInputElement>('[data-shortcut="search"]');
      if (!search) return;
      event.preventDefault();
      search.focus();
      search.select();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);

  const signOut = () => {
    storeToken(null);
    setToken(null);
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: delegates link clicks to the router; links stay links
    // biome-ignore lint/a11y/useKeyWithClickEvents: keyboard activation of links fires click, handled here
    <div class="shell" onClick={(e) => interceptLinks(e)}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={recordsHref('contacts')}>
          callscribe
        </a>
        {token && (
          <nav aria-label="Record types">
            {OBJECT_TYPES.map((type) => (
              <a
                key={type}
                href={recordsHref(type)}
                aria-current={
                  route.name !== 'call' && 'type' in route && route.type === type ? 'page' : undefined
                }
              >
                {TYPE_LABEL[type].many}
              </a>
            ))}
          </nav>
        )}
        {token && (
          <button type="button" class="link-button" onClick={signOut}>
            Sign out
          </button>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {token ? (
          <Page route={route} />
        ) : checking ? (
          <p class="muted">Signing in…</p>
        ) : (
          <SignIn
            onSignedIn={(t) => {
              storeToken(t);
              setToken(t);
            }}
          />
        )}
      </main>
    </div>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.name) {
    case 'records':
      return <RecordsPage key={route.type} type={route.type} />;
    case 'record':
      return <RecordPage key={`${route.type}/${route.id}`} type={route.type} id={route.id} />;
    case 'call':
      return <CallPage key={route.id} id={route.id} from={route.from} />;
    default:
      return (
        <section>
          <h1>Not found</h1>
          <p>
            Nothing lives at <code>{route.path}</code>. <a href={recordsHref('contacts')}>Go to contacts</a>.
          </p>
        </section>
      );
  }
}
