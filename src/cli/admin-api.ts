/**
 * What the admin CLI commands need, behind one narrow interface with two adapters: over HTTP to a
 * running `callscribe serve` (which owns the embedded database), or directly on the database when
 * no server runs. See docs/decisions/0001-cli-talks-to-the-running-server.md.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { AppError } from '../core/errors.js';
import type { TokenKind } from '../crm/auth/token-store.js';
import type { Owner, Seat } from '../crm/owners/owner-store.js';
import { isAlive, tryLock } from '../storage/db/process-lock.js';

export interface AdminApi {
  /** `server` when routed through a running server, `direct` when the CLI opened the database. */
  readonly via: 'server' | 'direct';
  createToken(kind: TokenKind, label: string): Promise<string>;
  addOwner(input: { email: string; seat: Seat; firstName?: string; lastName?: string }): Promise<Owner>;
  listOwners(): Promise<Owner[]>;
  setSeat(owner: string, seat: Seat): Promise<Owner>;
  close(): Promise<void>;
}

/** What `serve` writes to `<dataDir>/server.json` once it listens. */
export interface ServerFile {
  pid: number;
  url: string;
  adminSecret: string;
}

export function serverFilePath(config: Config): string {
  return path.join(config.dataDir, 'server.json');
}

export function lockFilePath(config: Config): string {
  return path.join(config.dataDir, 'pglite.lock');
}

export async function readServerFile(config: Config): Promise<ServerFile | undefined> {
  try {
    const file = JSON.parse(await readFile(serverFilePath(config), 'utf8')) as ServerFile;
    return isAlive(file.pid) ? file : undefined;
  } catch {
    return undefined;
  }
}

export function createHttpAdminApi(server: ServerFile): AdminApi {
  const call = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(server.url + route, {
        method,
        headers: { authorization: `Bearer ${server.adminSecret}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new AppError('E_UNAVAILABLE', `The running server at ${server.url} did not answer.`, {
        cause: error,
      });
    }
    const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      const code =
        response.status === 404 ? 'E_NOT_FOUND' : response.status === 409 ? 'E_CONFLICT' : 'E_VALIDATION';
      throw new AppError(code, String(json['message'] ?? `The server answered ${response.status}.`), {
        status: response.status,
      });
    }
    return json as T;
  };
  return {
    via: 'server',
    createToken: async (kind, label) =>
      (await call<{ token: string }>('POST', '/admin/v1/tokens', { kind, label })).token,
    addOwner: (input) => call<Owner>('POST', '/admin/v1/owners', input),
    listOwners: async () => (await call<{ results: Owner[] }>('GET', '/admin/v1/owners')).results,
    setSeat: (owner, seat) =>
      call<Owner>('PUT', `/admin/v1/owners/${encodeURIComponent(owner)}/seat`, { seat }),
    close: async () => undefined,
  };
}

async function createDirectAdminApi(config: Config, release: () => Promise<void>): Promise<AdminApi> {
  const { openDatabase } = await import('../storage/db/index.js');
  const { createOwnerStore } = await import('../crm/owners/owner-store.js');
  const { createTokenStore } = await import('../crm/auth/token-store.js');
  let db: Awaited<ReturnType<typeof openDatabase>>;
  try {
    db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    await release();
    throw error;
  }
  const owners = createOwnerStore(db);
  const tokens = createTokenStore(db);
  return {
    via: 'direct',
    createToken: (kind, label) => tokens.create(kind, label),
    addOwner: (input) => owners.add(input),
    async listOwners() {
      const all: Owner[] = [];
      let after: string | undefined;
      do {
        const page = await owners.list({ after, limit: 500 });
        all.push(...page.results);
        after = page.paging?.next.after;
      } while (after);
      return all;
    },
    setSeat: (owner, seat) => owners.setSeat(owner, seat),
    async close() {
      await db.close();
      await release();
    },
  };
}

/**
 * Connects to the running server if there is one; otherwise opens the database directly, holding
 * the PGlite lock so a server started meanwhile waits rather than corrupting the data.
 */
export async function connectAdminApi(config: Config, waitMs = 15_000): Promise<AdminApi> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const server = await readServerFile(config);
    if (server) return createHttpAdminApi(server);
    if (config.databaseUrl) return createDirectAdminApi(config, async () => undefined);
    const { mkdir } = await import('node:fs/promises');
    await mkdir(config.dataDir, { recursive: true });
    const release = await tryLock(lockFilePath(config));
    if (release) return createDirectAdminApi(config, release);
    // A server is starting (it holds the lock but has not written server.json yet), or another
    // CLI command is running: wait for either to finish.
    if (Date.now() > deadline) {
      throw new AppError(
        'E_UNAVAILABLE',
        `The database in ${config.dataDir} is busy: another callscribe process holds it.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
