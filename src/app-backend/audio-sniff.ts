/**
 * Content sniffing for uploads: HubSpot transcribes only WAV, FLAC and MP4 (seed, "Only .WAV,
 * .FLAC, and .MP4 audio files will be transcribed"), so we accept exactly those, judged by their
 * magic bytes, never by a file name or a Content-Type a client chose.
 */
import { AppError } from '../core/errors.js';

export type AudioFormat = 'wav' | 'flac' | 'mp4';

/** How many leading bytes `sniffAudio` needs. */
export const SNIFF_BYTES = 12;

export const CONTENT_TYPES: Readonly<Record<AudioFormat, string>> = {
  wav: 'audio/wav',
  flac: 'audio/flac',
  mp4: 'audio/mp4',
};

const ascii = (b: Buffer, from: number, to: number) => b.subarray(from, to).toString('latin1');

/** What the first bytes look like when they are not accepted, for the refusal message. */
function describeOther(head: Buffer): string {
  if (head.length === 0) return 'the file is empty';
  if (ascii(head, 0, 3) === 'ID3' || (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0)) {
    return 'it looks like MP3';
  }
  if (ascii(head, 0, 4) === 'OggS') return 'it looks like Ogg (Vorbis/Opus)';
  if (head.readUInt32BE(0) === 0x1a45dfa3) return 'it looks like WebM/Matroska';
  if (ascii(head, 0, 4) === 'RIFF') return `it is a RIFF file of type "${ascii(head, 8, 12)}", not WAVE`;
  if (ascii(head, 0, 6) === '#!AMR') return 'it looks like AMR';
  if (head.length < SNIFF_BYTES) return `the file is only ${head.length} bytes long`;
  return `it starts with bytes ${head.subarray(0, 8).toString('hex')}`;
}

/** The format of a file from its first {@link SNIFF_BYTES} bytes; throws E_UNSUPPORTED_MEDIA (415) with the reason. */
export function sniffAudio(head: Buffer): AudioFormat {
  if (head.length >= 12) {
    const riff = ascii(head, 0, 4);
    if ((riff === 'RIFF' || riff === 'RF64') && ascii(head, 8, 12) === 'WAVE') return 'wav';
    // ISO base media (MP4, M4A, 3GP, MOV): a box of type `ftyp` first.
    if (ascii(head, 4, 8) === 'ftyp') return 'mp4';
  }
  if (head.length >= 4 && ascii(head, 0, 4) === 'fLaC') return 'flac';
  const reason = `Only WAV, FLAC and MP4 recordings are accepted (HubSpot transcribes only these), and ${
    head.length === 0
      ? 'the file is empty'
      : describeOther(head.length < 4 ? Buffer.concat([head, Buffer.alloc(4)]) : head)
  }.`;
  throw new AppError('E_UNSUPPORTED_MEDIA', reason, {
    details: [{ message: reason, code: 'UNSUPPORTED_AUDIO_FORMAT' }],
  });
}

/**
 * Reads the first `n` bytes of `source` (fewer if it ends) and returns them with a stream of the
 * whole content, the head included, so the caller can sniff and then store without buffering.
 */
export async function peek(
  source: AsyncIterable<Uint8Array>,
  n: number,
): Promise<{ head: Buffer; body: AsyncIterable<Uint8Array> }> {
  const iterator = source[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < n) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = Buffer.from(next.value);
    seen.push(chunk);
    length += chunk.length;
  }
  const first = Buffer.concat(seen);
  async function* body(): AsyncGenerator<Uint8Array> {
    if (first.length > 0) yield first;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head: first.subarray(0, n), body: body() };
}
