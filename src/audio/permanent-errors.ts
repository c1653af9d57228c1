/** Which failures are refusals of the recording itself, so a job must not retry them. */
import { AppError, type ErrorCode } from '../core/errors.js';

/** Codes of recordings callscribe refuses: retrying the same file can never succeed. */
export const PERMANENT_AUDIO_ERRORS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'E_AUDIO_EMPTY',
  'E_AUDIO_UNSUPPORTED_FORMAT',
  'E_AUDIO_CORRUPT',
  'E_AUDIO_UNSUPPORTED_ENCODING',
  'E_AUDIO_MONO',
  'E_AUDIO_SILENT_CHANNEL',
  'E_AUDIO_SAME_SIGNAL',
]);

/** True when `error` is a refusal of the recording itself (a permanent job failure, no retry). */
export function isPermanentAudioError(error: unknown): error is AppError {
  return error instanceof AppError && PERMANENT_AUDIO_ERRORS.has(error.code);
}
