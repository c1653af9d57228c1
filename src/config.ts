/**
 * The only reader of `process.env`. `loadConfig()` validates every setting once and returns a
 * frozen object; a bad setting throws a `ConfigError` whose message is one sentence naming it.
 */
import path from 'node:path';

export interface Config {
  /** `PORT` — the one TCP port `callscribe serve` listens on. Default `8787`. */
  readonly port: number;
  /** `HOST` — the interface to bind. Default `127.0.0.1` (loopback only); use `0.0.0.0` to expose. */
  readonly host: string;
  /** `CALLSCRIBE_DATA_DIR` — where the embedded database, recordings and runtime files live. Default `./.callscribe`. */
  readonly dataDir: string;
  /** `DATABASE_URL` — a `postgres://` URL selects PostgreSQL; unset selects embedded PGlite in `dataDir/pglite`. */
  readonly databaseUrl: string | undefined;
  /** `REDIS_URL` — a `redis://` URL selects the distributed job queue (BullMQ); unset keeps jobs in process. */
  readonly redisUrl: string | undefined;
  /** `NODE_ENV` — `production` turns dev mode off; anything else (or unset) is dev mode. */
  readonly nodeEnv: string;
  /** Dev mode allows `http://` loopback URLs where HubSpot demands `https://`. True unless `NODE_ENV=production`. */
  readonly devMode: boolean;
  /** `LOG_LEVEL` — pino level: fatal, error, warn, info, debug, trace or silent. Default `info`. */
  readonly logLevel: string;
  /** `CALLSCRIBE_PUBLIC_URL` — the URL clients reach this server at. Default `http://127.0.0.1:${PORT}`. */
  readonly publicUrl: string;
}

/** Thrown when a setting is missing or malformed; its message names the setting. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

function readPort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 8787;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a whole number from 0 to 65535, not "${raw}".`);
  }
  return port;
}

function readUrl(name: string, raw: string | undefined, protocols: string[]): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL such as ${protocols[0]}//host:port/name, not "${raw}".`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.join(' or ')}, not "${url.protocol}".`);
  }
  return raw;
}

/** Reads and validates the environment. Pass an object to read something other than `process.env`. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = readPort(env['PORT']);
  const host = env['HOST'] || '127.0.0.1';
  const dataDir = path.resolve(env['CALLSCRIBE_DATA_DIR'] || './.callscribe');
  const databaseUrl = readUrl('DATABASE_URL', env['DATABASE_URL'], ['postgres:', 'postgresql:']);
  const redisUrl = readUrl('REDIS_URL', env['REDIS_URL'], ['redis:', 'rediss:']);
  const nodeEnv = env['NODE_ENV'] || 'development';
  const logLevel = env['LOG_LEVEL'] || 'info';
  if (!LOG_LEVELS.has(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${[...LOG_LEVELS].join(', ')}, not "${logLevel}".`);
  }
  const publicUrl =
    readUrl('CALLSCRIBE_PUBLIC_URL', env['CALLSCRIBE_PUBLIC_URL'], ['http:', 'https:']) ??
    `http://127.0.0.1:${port}`;
  return Object.freeze({
    port,
    host,
    dataDir,
    databaseUrl,
    redisUrl,
    nodeEnv,
    devMode: nodeEnv !== 'production',
    logLevel,
    publicUrl: publicUrl.replace(/\/+$/, ''),
  });
}
