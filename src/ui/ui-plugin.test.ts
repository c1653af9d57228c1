import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenStore, type TokenStore } from '../crm/auth/token-store.js';
import { buildHttpServer } from '../http/build-http-server.js';
import { type Database, migrate } from '../storage/db/index.js';
import { createPgliteDatabase } from '../storage/db/pglite-database.js';
import { uiPlugin } from './ui-plugin.js';

describe('UI plugin (inject)', () => {
  let db: Database;
  let tokens: TokenStore;
  let dist: string;
  const apps: FastifyInstance[] = [];

  const build = async (options: { devMode: boolean; webDist?: string }) => {
    const app = buildHttpServer({ logLevel: 'silent' });
    await app.register(uiPlugin, { tokens, devMode: options.devMode, webDist: options.webDist ?? dist });
    await app.ready();
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    db = await createPgliteDatabase();
    await migrate(db);
    tokens = createTokenStore(db);
    dist = await mkdtemp(path.join(os.tmpdir(), 'callscribe-ui-'));
    await mkdir(path.join(dist, 'assets'));
    await writeFile(path.join(dist, 'index.html'), '<!doctype html><div id="app"></div>');
    await writeFile(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    await writeFile(path.join(dist, 'assets', 'index-abc123.js.gz'), gzipSync('console.log(1)'));
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await db.close();
    await rm(dist, { recursive: true, force: true });
  });

  it('answers index.html for every page path, uncached', async () => {
    const app = await build({ devMode: true });
    for (const url of [
      '/ui/',
      '/ui/records/contacts',
      '/ui/records/deals/42',
      '/ui/calls/7?from=contacts/1',
    ]) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
      expect(res.body).toContain('<div id="app">');
    }
    expect((await app.inject('/ui')).statusCode).toBe(200);
  });

  it('serves hashed assets with a long, immutable cache and 404s unknown ones', async () => {
    const app = await build({ devMode: true });
    const res = await app.inject('/ui/assets/index-abc123.js');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toMatch(/immutable/);
    expect(res.body).toBe('console.log(1)');
    expect((await app.inject('/ui/assets/missing.js')).statusCode).toBe(404);
    const gz = await app.inject({
      url: '/ui/assets/index-abc123.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe('console.log(1)');
  });

  it('hands a loopback page a working token in dev mode, the same one each time', async () => {
    const app = await build({ devMode: true });
    const headers = { host: '127.0.0.1:8787', 'sec-fetch-site': 'same-origin' };
    const first = await app.inject({ url: '/ui/session', headers, remoteAddress: '127.0.0.1' });
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    const token = first.json().token as string;
    expect(await tokens.verify(token)).toBe('private_app');
    const again = await app.inject({ url: '/ui/session', headers, remoteAddress: '::1' });
    expect(again.json().token).toBe(token);
  });

  it.each([
    ['production mode', false, '127.0.0.1', '127.0.0.1:8787', undefined],
    ['a remote client', true, '192.0.2.10', '127.0.0.1:8787', undefined],
    ['a rebound host name (DNS rebinding)', true, '127.0.0.1', 'evil.example:8787', undefined],
    ['a cross-site fetch', true, '127.0.0.1', '127.0.0.1:8787', 'cross-site'],
  ])('gives no session to %s', async (_name, devMode, remoteAddress, host, site) => {
    const app = await build({ devMode });
    const headers: Record<string, string> = { host };
    if (site) headers['sec-fetch-site'] = site;
    const res = await app.inject({ url: '/ui/session', headers, remoteAddress });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
  });

  it('says how to build the UI when web/dist is missing', async () => {
    const app = await build({ devMode: true, webDist: path.join(dist, 'nope') });
    const res = await app.inject('/ui/');
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build');
  });
});
