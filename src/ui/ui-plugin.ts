/**
 * Serves the timeline UI (web/, built by Vite into web/dist) under `/ui/`: hashed assets with a
 * long cache, `index.html` for every page path (the UI routes in the browser), and — in dev mode,
 * to loopback clients only — `GET /ui/session`, which hands the page an access token so a local
 * demo needs no pasting. The UI itself talks only to callscribe's public APIs.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.js';
import { requireToken } from '../crm/auth/require-token.js';
import type { TokenStore } from '../crm/auth/token-store.js';

/** web/dist, from src/ui (tsx) and from dist/ui (built) alike. */
export const DEFAULT_WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

export interface UiDeps {
  tokens: TokenStore;
  /** Dev mode enables the loopback session endpoint. */
  devMode: boolean;
  /** Where the built UI lives. Default: the repository's web/dist. */
  webDist?: string;
  /**
   * Resolves a call's playable recording URL on the server (the app's authenticated URL, fetched
   * with HubSpot's request signature the browser cannot make). Optional: without it the UI asks
   * the app backend itself, which works when the app does not demand a signature.
   */
  resolveRecordingUrl?: (callId: string) => Promise<string | null>;
}

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i;

/**
 * Only a page opened on this machine, at a loopback address, gets a dev session. Checking the
 * Host header too defeats DNS rebinding (a foreign site's name pointed at 127.0.0.1 arrives with
 * its own Host), and Sec-Fetch-Site refuses cross-site fetches outright.
 */
export function isLocalPageRequest(request: FastifyRequest): boolean {
  const address = request.socket.remoteAddress ?? '';
  const host = request.headers.host ?? '';
  const site = request.headers['sec-fetch-site'];
  return (
    LOOPBACK_ADDRESSES.has(address) &&
    LOOPBACK_HOST.test(host) &&
    (site === undefined || site === 'same-origin' || site === 'none')
  );
}

/**
 * The page holds an access token (localStorage), so it runs only its own script: no inline code,
 * no third-party origin. Media may come from the app's authenticated URL, which can live anywhere.
 */
export const UI_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  'media-src * blob:',
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>callscribe UI not built</title>
<body style="font:16px system-ui;max-width:40rem;margin:2rem auto"><h1>The timeline UI is not built</h1>
<p>Run <code>npm run build</code> (it runs <code>vite build web</code>) and reload.</p></body></html>`;

/** Registers the UI routes in their own encapsulated context. */
export async function uiPlugin(app: FastifyInstance, deps: UiDeps): Promise<void> {
  const dist = deps.webDist ?? DEFAULT_WEB_DIST;
  const built = existsSync(path.join(dist, 'index.html'));
  let sessionToken: Promise<string> | undefined;

  if (built) {
    // Asset names carry a content hash, so they may be cached for good.
    await app.register(fastifyStatic, {
      root: path.join(dist, 'assets'),
      prefix: '/ui/assets/',
      immutable: true,
      maxAge: '365d',
      index: false,
      wildcard: true,
      // Vite writes `.gz` beside each asset (web/vite.config.ts): sent to clients that accept gzip.
      preCompressed: true,
    });
  }

  const sendIndex = async (_request: FastifyRequest, reply: import('fastify').FastifyReply) => {
    reply
      .header('Cache-Control', 'no-cache')
      .header('Content-Security-Policy', UI_CONTENT_SECURITY_POLICY)
      .header('Referrer-Policy', 'no-referrer')
      .header('X-Content-Type-Options', 'nosniff')
      .type('text/html; charset=utf-8');
    if (!built) return reply.code(503).send(NOT_BUILT);
    // Read per request: a rebuild while serving shows up on reload. The file is half a kilobyte.
    return reply.send(await readFile(path.join(dist, 'index.html')));
  };

  // The server ignores trailing slashes, so this also answers `/ui`; asset URLs are absolute.
  app.get('/ui/', sendIndex);
  app.get('/ui/records/*', sendIndex);
  app.get('/ui/calls/*', sendIndex);

  app.get('/ui/session', async (request, reply) => {
    if (!deps.devMode || !isLocalPageRequest(request)) {
      throw new AppError('E_ROUTE_NOT_FOUND', 'No dev session here: paste an access token instead.');
    }
    sessionToken ??= deps.tokens.create('private_app', 'ui dev session');
    reply.header('Cache-Control', 'no-store');
    return { token: await sessionToken };
  });

  if (deps.resolveRecordingUrl) {
    const resolve = deps.resolveRecordingUrl;
    app.get<{ Params: { callId: string } }>(
      '/ui/api/calls/:callId/recording',
      { preHandler: requireToken(deps.tokens) },
      async (request, reply) => {
        reply.header('Cache-Control', 'no-store');
        const url = await resolve(request.params.callId);
        if (!url) throw new AppError('E_NOT_FOUND', `Call ${request.params.callId} has no recording.`);
        return { authenticatedUrl: url };
      },
    );
  }
}

/** Mounts the UI on the app (encapsulated, so its static-file decorations stay inside). */
export function registerUi(app: FastifyInstance, deps: UiDeps): void {
  void app.register(uiPlugin, deps);
}
