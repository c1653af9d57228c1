/**
 * Content sniffing: callscribe accepts WAV (RIFF/WAVE), FLAC (`fLaC`) and MP4 (ISO-BMFF `ftyp`)
 * by their first bytes, never by file name, and names what it refuses in a plain sentence.
 */
import { open } from 'node:fs/promises';
import { AppError } from '../../core/errors.js';

export type AudioContainer = 'wav' | 'flac' | 'mp4';

/** How many leading bytes {@link sniffContainer} needs. */
export const SNIFF_BYTES = 64;

function ascii(head: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...head.subarray(start, start + length));
}

/** A name for what the bytes look like, for the refusal sentence. */
function describeOther(head: Uint8Array): string {
  if (ascii(head, 0, 3) === 'ID3' || (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0)) return 'MP3';
  if (ascii(head, 0, 4) === 'OggS') return 'Ogg';
  if (ascii(head, 0, 4) === 'RIFF') return `RIFF/${ascii(head, 8, 4).trim() || 'unknown'}`;
  if (ascii(head, 0, 4) === 'FORM') return 'AIFF';
  if (ascii(head, 0, 4) === '.snd') return 'Sun/NeXT audio';
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'WebM/Matroska';
  const printable = head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 0xc2);
  if (printable) return 'text';
  return 'an unknown format';
}

/**
 * The container of an audio file from its first bytes.
 * @throws AppError `E_AUDIO_EMPTY` for zero bytes, `E_AUDIO_UNSUPPORTED_FORMAT` for anything else
 *   than WAV, FLAC or MP4, `E_AUDIO_CORRUPT` for a header cut short.
 */
export function sniffContainer(head: Uint8Array): AudioContainer {
  if (head.length === 0) throw new AppError('E_AUDIO_EMPTY', 'The recording is empty (zero bytes).');
  if (ascii(head, 0, 4) === 'RIFF' || ascii(head, 0, 4) === 'RF64') {
    if (head.length < 12)
      throw new AppError('E_AUDIO_CORRUPT', 'The WAV file is truncated inside its header.');
    if (ascii(head, 8, 4) === 'WAVE') return 'wav';
  }
  if (ascii(head, 0, 4) === 'fLaC') return 'flac';
  if (ascii(head, 4, 4) === 'ftyp') return 'mp4';
  const what = describeOther(head);
  throw new AppError(
    'E_AUDIO_UNSUPPORTED_FORMAT',
    `The recording is ${what === 'text' ? 'text, not audio' : what === 'an unknown format' ? 'in an unknown format' : what}: only WAV, FLAC and MP4 recordings are accepted.`,
    { extra: { detectedFormat: what } },
  );
}

/** Reads the first bytes of a file and sniffs them; see {@link sniffContainer}. */
export async function sniffFile(path: string): Promise<AudioContainer> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
    return sniffContainer(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
