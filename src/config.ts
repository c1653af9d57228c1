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
  /** Speech recognition (`src/audio/`): see {@link AsrConfig}. */
  readonly asr: AsrConfig;
}

/** The speech recogniser `callscribe transcribe` and the pipeline use. */
export interface AsrConfig {
  /**
   * `CALLSCRIBE_ASR_ENGINE` — `pocketsphinx` (the embedded engine) or `openai` (any server speaking
   * the OpenAI-compatible `POST /v1/audio/transcriptions`, e.g. whisper.cpp's). Default `pocketsphinx`.
   */
  readonly engine: 'pocketsphinx' | 'openai';
  /** `CALLSCRIBE_ASR_URL` — base URL of the OpenAI-compatible server (required for `openai`), e.g. `http://127.0.0.1:8080`. */
  readonly url: string | undefined;
  /** `CALLSCRIBE_ASR_MODEL` — the `model` form field sent to that server. Default `whisper-1`. */
  readonly model: string;
  /** `CALLSCRIBE_ASR_API_KEY` — Bearer token for that server. Unset: no Authorization header. */
  readonly apiKey: string | undefined;
  /** `CALLSCRIBE_TRANSCRIPTION_API_LIMIT_MB` — largest upload `/v1/audio/transcriptions` accepts, in MiB. Default `100`. */
  readonly apiUploadLimitBytes: number;
}

function readAsr(env: NodeJS.ProcessEnv): AsrConfig {
  const engine = env['CALLSCRIBE_ASR_ENGINE'] || 'pocketsphinx';
  if (engine !== 'pocketsphinx' && engine !== 'openai') {
    throw new ConfigError(`CALLSCRIBE_ASR_ENGINE must be pocketsphinx or openai, not "${engine}".`);
  }
  const url = readUrl('CALLSCRIBE_ASR_URL', env['CALLSCRIBE_ASR_URL'], ['http:', 'https:']);
  if (engine === 'openai' && !url) {
    throw new ConfigError('CALLSCRIBE_ASR_URL must be set when CALLSCRIBE_ASR_ENGINE is openai.');
  }
  const limitRaw = env['CALLSCRIBE_TRANSCRIPTION_API_LIMIT_MB'] || '100';
  const limit = Number(limitRaw);
  if (!/^\d+$/.test(limitRaw) || limit < 1) {
    throw new ConfigError(`CALLSCRIBE_TRANSCRIPTION_API_LIMIT_MB must be a whole number of MiB, not "${limitRaw}".`);
  }
  return Object.freeze({
    engine,
    url: url?.replace(/\/+$/, ''),
    model: env['CALLSCRIBE_ASR_MODEL'] || 'whisper-1',
    apiKey: env['CALLSCRIBE_ASR_API_KEY'] || undefined,
    apiUploadLimitBytes: limit * 1024 * 1024,
  });
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
    asr: readAsr(env),
  });
}
