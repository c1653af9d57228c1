/** `GET /`: a small page that says what this server is and links to what it serves. */
import type { FastifyInstance } from 'fastify';

export interface HomeLink {
  href: string;
  label: string;
  note: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderHomePage(links: readonly HomeLink[]): string {
  const items = links
    .map((l) => `<li><a href="${escapeHtml(l.href)}">${escapeHtml(l.label)}</a> — ${escapeHtml(l.note)}</li>`)
    .join('\n      ');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>callscribe</title>
    <style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
    a{color:#0b57d0}code{background:#f2f2f2;padding:0 .25rem}</style>
  </head>
  <body>
    <h1>callscribe</h1>
    <p>Phone-call recordings and their transcripts: a HubSpot-compatible CRM API, a calling-app
    recording backend and two-channel speech transcription, on one port.</p>
    <ul>
      ${items}
    </ul>
    <p>Point <code>@hubspot/api-client</code> here with <code>basePath</code>; get a token with
    <code>npx callscribe token create</code>.</p>
  </body>
</html>
`;
}

export function registerHomePage(app: FastifyInstance, links: () => readonly HomeLink[]): void {
  app.get('/', async (_request, reply) => {
    reply.type('text/html; charset=utf-8');
    return renderHomePage(links());
  });
}
