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
