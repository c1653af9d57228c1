/**
 * The one error type of callscribe and its catalog. Each code carries its HTTP status and
 * HubSpot error `category`; the HTTP error handler and the CLI both read this table, so a code
 * means the same thing everywhere.
 */

/** Every error code callscribe raises, with the status and HubSpot category it maps to. */
export const ERROR_CATALOG = {
  E_VALIDATION: {
    status: 400,
    category: 'VALIDATION_ERROR',
    exitCode: 2,
    doc: 'A request field or argument is missing or malformed.',
  },
  E_MALFORMED_JSON: {
    status: 400,
    category: 'VALIDATION_ERROR',
    exitCode: 2,
    doc: 'The request body is not valid JSON.',
  },
  E_UNAUTHORIZED: {
    status: 401,
    category: 'INVALID_AUTHENTICATION',
    exitCode: 3,
    doc: 'No credential, or one that callscribe did not issue.',
  },
  E_FORBIDDEN: {
    status: 403,
    category: 'MISSING_SCOPES',
    exitCode: 3,
    doc: 'The credential is valid but may not do this.',
  },
  E_NOT_FOUND: {
    status: 404,
    category: 'OBJECT_NOT_FOUND',
    exitCode: 4,
    doc: 'The addressed object does not exist (or is archived).',
  },
  E_ROUTE_NOT_FOUND: {
    status: 404,
    category: 'OBJECT_NOT_FOUND',
    exitCode: 4,
    doc: 'No endpoint answers this method and path.',
  },
  E_CONFLICT: {
    status: 409,
    category: 'CONFLICT',
    exitCode: 5,
    doc: 'The object already exists or the change conflicts with its state.',
  },
  E_PAYLOAD_TOO_LARGE: {
    status: 413,
    category: 'VALIDATION_ERROR',
    exitCode: 2,
    doc: 'The request body is larger than the limit.',
  },
  E_UNSUPPORTED_MEDIA: {
    status: 415,
    category: 'VALIDATION_ERROR',
    exitCode: 2,
    doc: 'The body is not in a format this endpoint accepts.',
  },
  E_RATE_LIMITED: {
    status: 429,
    category: 'RATE_LIMITS',
    exitCode: 6,
    doc: 'Too many requests in the rolling window.',
  },
  E_UNAVAILABLE: {
    status: 503,
    category: 'SERVICE_UNAVAILABLE',
    exitCode: 7,
    doc: 'A dependency (database, server) cannot be reached.',
  },
  E_BLOB_NOT_FOUND: {
    status: 404,
    category: 'OBJECT_NOT_FOUND',
    exitCode: 4,
    doc: 'The blob store holds no object under this key.',
  },
  E_RECORDING_NOT_FOUND: {
    status: 404,
    category: 'OBJECT_NOT_FOUND',
    exitCode: 4,
    doc: 'No recording is stored under this externalId (app backend).',
  },
  E_RECORDING_APP_MISMATCH: {
    status: 403,
    category: 'MISSING_SCOPES',
    exitCode: 3,
    doc: 'The recording exists but belongs to another appId or externalAccountId.',
  },
  E_REQUEST_SIGNATURE_INVALID: {
    status: 401,
    category: 'INVALID_AUTHENTICATION',
    exitCode: 3,
    doc: 'X-HubSpot-Signature-v3 is missing, stale (over 5 minutes) or does not match the client secret.',
  },
  E_URL_SIGNATURE_EXPIRED: {
    status: 403,
    category: 'MISSING_SCOPES',
    exitCode: 3,
    doc: 'The signed media URL has expired; ask the recording endpoint for a fresh one.',
  },
  E_URL_SIGNATURE_INVALID: {
    status: 403,
    category: 'MISSING_SCOPES',
    exitCode: 3,
    doc: 'The signed media URL was altered or signed with another key.',
  },
  E_RANGE_NOT_SATISFIABLE: {
    status: 416,
    category: 'VALIDATION_ERROR',
    exitCode: 2,
    doc: 'The Range header asks for bytes outside the file (or several ranges).',
  },
  E_HUBSPOT_API: {
    status: 502,
    category: 'INTERNAL_ERROR',
    exitCode: 8,
    doc: 'HubSpot (or the CRM server the sync client talks to) refused a request or kept failing after retries.',
  },
  E_AUDIO_EMPTY: {
    status: 422,
    category: 'VALIDATION_ERROR',
    exitCode: 20,
    doc: 'The recording is empty: zero bytes, or no audio samples at all.',
  },
  E_AUDIO_UNSUPPORTED_FORMAT: {
    status: 415,
    category: 'VALIDATION_ERROR',
    exitCode: 21,
    doc: 'The file is not WAV, FLAC or MP4 (detected by content: MP3, Ogg, text, … are refused).',
  },
  E_AUDIO_CORRUPT: {
    status: 422,
    category: 'VALIDATION_ERROR',
    exitCode: 22,
    doc: 'The file starts like WAV, FLAC or MP4 but is truncated or corrupt and cannot be decoded.',
  },
  E_AUDIO_UNSUPPORTED_ENCODING: {
    status: 415,
    category: 'VALIDATION_ERROR',
    exitCode: 23,
    doc: 'The container is accepted but its encoding or sample rate is not (WAV: PCM 8/16/24/32-bit, float, G.711; 8–48 kHz).',
  },
  E_AUDIO_MONO: {
    status: 422,
    category: 'VALIDATION_ERROR',
    exitCode: 24,
    doc: 'The recording is mono: each speaker must be on their own channel.',
  },
  E_AUDIO_SILENT_CHANNEL: {
    status: 422,
    category: 'VALIDATION_ERROR',
    exitCode: 25,
    doc: 'One channel is silent or carries no speech, so it holds no speaker.',
  },
  E_AUDIO_SAME_SIGNAL: {
    status: 422,
    category: 'VALIDATION_ERROR',
    exitCode: 26,
    doc: 'Two channels carry the same signal (or a scaled or delayed copy): both speakers are on one channel.',
  },
  E_ASR_FAILED: {
    status: 502,
    category: 'INTERNAL_ERROR',
    exitCode: 27,
    doc: 'The speech recogniser (engine process or HTTP engine) failed; retrying may help.',
  },
  E_RECORDING_FETCH_FAILED: {
    status: 502,
    category: 'INTERNAL_ERROR',
    exitCode: 30,
    doc: "The app's recording endpoint or the authenticated URL failed (refused connection, 5xx, a bad answer); the pipeline retries with backoff.",
  },
  E_RECORDING_FETCH_TIMEOUT: {
    status: 504,
    category: 'INTERNAL_ERROR',
    exitCode: 31,
    doc: "The app's recording endpoint or the recording download did not finish in time; the pipeline retries with backoff.",
  },
  E_RECORDING_UNAVAILABLE: {
    status: 404,
    category: 'OBJECT_NOT_FOUND',
    exitCode: 32,
    doc: "The app's recording endpoint answered 404 (or another 4xx): it has no recording for this call; not retried.",
  },
  E_RECORDING_TOO_LARGE: {
    status: 413,
    category: 'VALIDATION_ERROR',
    exitCode: 33,
    doc: 'The recording is larger than the download limit; not retried.',
  },
  E_RECORDING_URL_REFUSED: {
    status: 400,
    category: 'VALIDATION_ERROR',
    exitCode: 34,
    doc: 'A recording URL is not http(s), redirects too often, or (production) reaches a loopback, private or link-local address.',
  },
  E_RECORDING_SOURCE_MISSING: {
    status: 422,
    category: 'VALIDATION_ERROR',
    exitCode: 35,
    doc: 'The call has no way to fetch its recording: no external ids with a registered urlToRetrieveAuthedRecording, and no hs_call_recording_url.',
  },
  E_NO_PAID_SEAT: {
    status: 403,
    category: 'MISSING_SCOPES',
    exitCode: 36,
    doc: "The call's owner has no paid Sales or Service seat, so the call keeps its recording but is not transcribed.",
  },
  E_INTERNAL: {
    status: 500,
    category: 'INTERNAL_ERROR',
    exitCode: 1,
    doc: 'An unexpected failure; the log holds the cause under the correlationId.',
  },
} as const satisfies Record<string, { status: number; category: string; exitCode: number; doc: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

/** One field-level problem, as in HubSpot's `errors[]` (`message`, `code`, `context`). */
export interface ErrorDetail {
  message: string;
  code?: string;
  in?: string;
  context?: Record<string, string[]>;
}

export interface AppErrorOptions {
  cause?: unknown;
  details?: ErrorDetail[];
  /** Overrides the catalog's status (for example 416 for an unsatisfiable range). */
  status?: number;
  /** Overrides the catalog's HubSpot category. */
  category?: string;
  /** Extra fields merged into the HubSpot error body (for example `policyName` on 429). */
  extra?: Record<string, unknown>;
}

/** The error every layer throws; `code` is from {@link ERROR_CATALOG}. */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly category: string;
  readonly details: ErrorDetail[];
  readonly extra: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? ERROR_CATALOG[code].status;
    this.category = options.category ?? ERROR_CATALOG[code].category;
    this.details = options.details ?? [];
    this.extra = options.extra ?? {};
  }

  /** The process exit code the CLI uses for this error. */
  get exitCode(): number {
    return ERROR_CATALOG[this.code].exitCode;
  }
}

/** Shorthand for the most common error: a missing object, named in the message. */
export function notFound(what: string, id: string | number): AppError {
  return new AppError('E_NOT_FOUND', `${what} ${id} was not found.`, {
    details: [
      { message: `${what} ${id} was not found.`, code: 'OBJECT_NOT_FOUND', context: { id: [String(id)] } },
    ],
  });
}

/** Shorthand for a 400 about one field. */
export function invalid(message: string, field?: string): AppError {
  return new AppError('E_VALIDATION', message, {
    details: [{ message, code: 'INVALID', ...(field ? { context: { propertyName: [field] } } : {}) }],
  });
}
