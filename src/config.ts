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
  /**
   * `CALLSCRIBE_RATE_LIMIT_PER_10S` — CRM API requests each credential may make per ten seconds
   * before a HubSpot-style 429 (`TEN_SECONDLY_ROLLING`). Default `1000`; `0` turns the limit off.
   */
  readonly rateLimitPerTenSeconds: number;
  /** `CALLSCRIBE_RATE_LIMIT_DAILY` — CRM API requests per credential per day. Default `1000000`; `0` is no limit. */
  readonly rateLimitDaily: number;
  /** Speech recognition (`src/audio/`): see {@link AsrConfig}. */
  readonly asr: AsrConfig;
  /** The calling-app recording backend (`src/app-backend/`): see {@link AppBackendConfig}. */
  readonly appBackend: AppBackendConfig;
  /** Where recordings are stored (`src/storage/blob/`): see {@link BlobStoreConfig}. */
  readonly blobStore: BlobStoreConfig;
  /** The transcription pipeline and its job queue (`src/pipeline/`, `src/queue/`): see {@link PipelineConfig}. */
  readonly pipeline: PipelineConfig;
}

/** Settings of the transcription pipeline (fetch limits, retries, job processing). */
export interface PipelineConfig {
  /**
   * `CALLSCRIBE_TRANSCRIPTION_CONCURRENCY` — jobs this process runs at once. Default `1`. `0` makes
   * `serve` only enqueue (leave the work to `callscribe worker` processes; needs `REDIS_URL`).
   */
  readonly concurrency: number;
  /** `CALLSCRIBE_JOB_ATTEMPTS` — runs per job for transient failures (endpoint down, 5xx, timeouts). Default `4`. */
  readonly attempts: number;
  /** `CALLSCRIBE_JOB_BACKOFF_MS` — delay before the first retry, doubled each retry. Default `5000`. */
  readonly backoffMs: number;
  /** `CALLSCRIBE_JOB_LOCK_MS` — BullMQ lock: a dead worker's job moves to another after about this long. Default `30000`. */
  readonly lockMs: number;
  /** `CALLSCRIBE_QUEUE_PREFIX` — Redis key prefix of the job queue; processes sharing work share it. Default `callscribe`. */
  readonly queuePrefix: string;
  /** `CALLSCRIBE_RECORDING_MAX_MB` — largest recording the pipeline downloads, in MiB. Default `512`. */
  readonly recordingMaxBytes: number;
  /** `CALLSCRIBE_RECORDING_ENDPOINT_TIMEOUT_MS` — deadline for the app endpoint's JSON answer. Default `10000`. */
  readonly endpointTimeoutMs: number;
  /** `CALLSCRIBE_RECORDING_DOWNLOAD_TIMEOUT_MS` — deadline for a whole recording download. Default `300000`. */
  readonly downloadTimeoutMs: number;
}

/** Settings of the calling-app backend and its HubSpot sync client. */
export interface AppBackendConfig {
  /** `CALLSCRIBE_APP_ID` — the HubSpot app id this backend serves; default for `--app-id`. Unset: none. */
  readonly appId: string | undefined;
  /**
   * `CALLSCRIBE_APP_CLIENT_SECRET` — the app's client secret. When set, `GET /app/v1/recordings/…`
   * requires a valid `X-HubSpot-Signature-v3` (5-minute window). Unset: signatures are not checked.
   */
  readonly clientSecret: string | undefined;
  /** `CALLSCRIBE_SIGNED_URL_TTL` — lifetime of an authenticated media URL, in seconds. Default `300`. */
  readonly signedUrlTtlSeconds: number;
  /** `CALLSCRIBE_UPLOAD_LIMIT_MB` — largest recording accepted by upload, in MiB. Default `512`. */
  readonly uploadLimitBytes: number;
  /**
   * `CALLSCRIBE_URL_SIGNING_KEY` — key (≥ 32 characters) that signs media URLs. Unset: a random key
   * is generated once and kept in `<dataDir>/url-signing.key`, so links survive restarts; set it to
   * the same value on every server that shares one database.
   */
  readonly urlSigningKey: string | undefined;
  /** `HUBSPOT_BASE_URL` — the HubSpot API the sync client talks to. Default `https://api.hubapi.com`. */
  readonly hubspotBaseUrl: string;
  /** `HUBSPOT_ACCESS_TOKEN` — Bearer token for calls, associations, mark-ready. Unset: pass `--access-token`. */
  readonly hubspotAccessToken: string | undefined;
  /** `HUBSPOT_DEVELOPER_API_KEY` — `hapikey` for the recording-settings API. Unset: pass `--hapikey`. */
  readonly hubspotDeveloperApiKey: string | undefined;
}

/**
 * Where recordings are stored. `CALLSCRIBE_S3_BUCKET` set selects S3 (with `CALLSCRIBE_S3_PREFIX`,
 * `CALLSCRIBE_S3_ENDPOINT` for S3-compatible servers, `CALLSCRIBE_S3_REGION` or `AWS_REGION`
 * (default `us-east-1`), and `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` or the SDK's default
 * chain); unset keeps recordings on local disk under `<dataDir>/recordings`.
 */
export type BlobStoreConfig =
  | { readonly kind: 'local-disk'; readonly root: string }
  | {
      readonly kind: 's3';
      readonly bucket: string;
      readonly prefix: string;
      readonly endpoint: string | undefined;
      readonly region: string;
      readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
    };

function readPositive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isInteger(value) || value <= 0) {
    throw new ConfigError(`${name} must be a whole number greater than 0, not "${raw}".`);
  }
  return value;
}

function readAppBackend(env: NodeJS.ProcessEnv): AppBackendConfig {
  const urlSigningKey = env['CALLSCRIBE_URL_SIGNING_KEY'] || undefined;
  if (urlSigningKey !== undefined && urlSigningKey.length < 32) {
    throw new ConfigError('CALLSCRIBE_URL_SIGNING_KEY must be at least 32 characters long.');
  }
  return Object.freeze({
    appId: env['CALLSCRIBE_APP_ID'] || undefined,
    clientSecret: env['CALLSCRIBE_APP_CLIENT_SECRET'] || undefined,
    signedUrlTtlSeconds: readPositive('CALLSCRIBE_SIGNED_URL_TTL', env['CALLSCRIBE_SIGNED_URL_TTL'], 300),
    uploadLimitBytes: Math.round(
      readPositive('CALLSCRIBE_UPLOAD_LIMIT_MB', env['CALLSCRIBE_UPLOAD_LIMIT_MB'], 512) * 1024 * 1024,
    ),
    urlSigningKey,
    hubspotBaseUrl: (
      readUrl('HUBSPOT_BASE_URL', env['HUBSPOT_BASE_URL'], ['https:', 'http:']) ?? 'https://api.hubapi.com'
    ).replace(/\/+$/, ''),
    hubspotAccessToken: env['HUBSPOT_ACCESS_TOKEN'] || undefined,
    hubspotDeveloperApiKey: env['HUBSPOT_DEVELOPER_API_KEY'] || undefined,
  });
}

function readQueuePrefix(raw: string | undefined): string {
  if (raw === undefined || raw === '') return 'callscribe';
  if (!/^[\w.-]{1,64}$/.test(raw)) {
    throw new ConfigError(
      `CALLSCRIBE_QUEUE_PREFIX must be 1-64 letters, digits, '.', '_' or '-', not "${raw}".`,
    );
  }
  return raw;
}

function readPipeline(env: NodeJS.ProcessEnv, redisUrl: string | undefined): PipelineConfig {
  const rawConcurrency = env['CALLSCRIBE_TRANSCRIPTION_CONCURRENCY'];
  const concurrency =
    rawConcurrency === '0' ? 0 : readPositive('CALLSCRIBE_TRANSCRIPTION_CONCURRENCY', rawConcurrency, 1);
  if (concurrency === 0 && !redisUrl) {
    throw new ConfigError(
      'CALLSCRIBE_TRANSCRIPTION_CONCURRENCY=0 needs REDIS_URL: with the in-process queue no other process could take the jobs.',
    );
  }
  return Object.freeze({
    concurrency,
    attempts: readPositive('CALLSCRIBE_JOB_ATTEMPTS', env['CALLSCRIBE_JOB_ATTEMPTS'], 4),
    backoffMs: readPositive('CALLSCRIBE_JOB_BACKOFF_MS', env['CALLSCRIBE_JOB_BACKOFF_MS'], 5000),
    lockMs: readPositive('CALLSCRIBE_JOB_LOCK_MS', env['CALLSCRIBE_JOB_LOCK_MS'], 30_000),
    queuePrefix: readQueuePrefix(env['CALLSCRIBE_QUEUE_PREFIX']),
    recordingMaxBytes:
      readPositive('CALLSCRIBE_RECORDING_MAX_MB', env['CALLSCRIBE_RECORDING_MAX_MB'], 512) * 1024 * 1024,
    endpointTimeoutMs: readPositive(
      'CALLSCRIBE_RECORDING_ENDPOINT_TIMEOUT_MS',
      env['CALLSCRIBE_RECORDING_ENDPOINT_TIMEOUT_MS'],
      10_000,
    ),
    downloadTimeoutMs: readPositive(
      'CALLSCRIBE_RECORDING_DOWNLOAD_TIMEOUT_MS',
      env['CALLSCRIBE_RECORDING_DOWNLOAD_TIMEOUT_MS'],
      300_000,
    ),
  });
}

function readBlobStore(env: NodeJS.ProcessEnv, dataDir: string): BlobStoreConfig {
  const bucket = env['CALLSCRIBE_S3_BUCKET'];
  if (!bucket) return Object.freeze({ kind: 'local-disk', root: path.join(dataDir, 'recordings') });
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  return Object.freeze({
    kind: 's3',
    bucket,
    prefix: env['CALLSCRIBE_S3_PREFIX'] ?? '',
    endpoint: readUrl('CALLSCRIBE_S3_ENDPOINT', env['CALLSCRIBE_S3_ENDPOINT'], ['https:', 'http:']),
    region: env['CALLSCRIBE_S3_REGION'] || env['AWS_REGION'] || 'us-east-1',
    credentials: accessKeyId && secretAccessKey ? Object.freeze({ accessKeyId, secretAccessKey }) : undefined,
  });
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
    throw new ConfigError(
      `CALLSCRIBE_TRANSCRIPTION_API_LIMIT_MB must be a whole number of MiB, not "${limitRaw}".`,
    );
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

/** A whole number ≥ 0 (0 meaning "off"), or the default when unset. */
function readCount(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw))
    throw new ConfigError(`${name} must be a whole number (0 for no limit), not "${raw}".`);
  return Number(raw);
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
    rateLimitPerTenSeconds: readCount(
      'CALLSCRIBE_RATE_LIMIT_PER_10S',
      env['CALLSCRIBE_RATE_LIMIT_PER_10S'],
      1000,
    ),
    rateLimitDaily: readCount('CALLSCRIBE_RATE_LIMIT_DAILY', env['CALLSCRIBE_RATE_LIMIT_DAILY'], 1_000_000),
    asr: readAsr(env),
    appBackend: readAppBackend(env),
    blobStore: readBlobStore(env, dataDir),
    pipeline: readPipeline(env, redisUrl),
  });
}
