/**
 * Small, valid audio files built in memory for tests and benches: a 16-bit PCM WAV (RIFF/WAVE
 * header + samples), and the leading bytes of FLAC and MP4 files, enough for content sniffing.
 */
import { randomBytes } from 'node:crypto';

/** A two-channel 8 kHz 16-bit WAV of `dataBytes` bytes of (noise) samples. */
export function makeWav(dataBytes: number, channels = 2, sampleRate = 8000): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * channels * 2, 28);
  header.writeUInt16LE(channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(dataBytes, 40);
  return Buffer.concat([header, randomBytes(dataBytes)]);
}

/** Bytes that start like a FLAC stream. */
export function makeFlacLike(size: number): Buffer {
  return Buffer.concat([Buffer.from('fLaC', 'latin1'), randomBytes(Math.max(size - 4, 0))]);
}

/** Bytes that start like an MP4 (ISO-BMFF `ftyp` box, brand M4A). */
export function makeMp4Like(size: number): Buffer {
  const ftyp = Buffer.alloc(20);
  ftyp.writeUInt32BE(20, 0);
  ftyp.write('ftypM4A \0\0\0\0isom', 4, 'latin1');
  return Buffer.concat([ftyp, randomBytes(Math.max(size - 20, 0))]);
}

/** Bytes that start like an MP3 with an ID3 tag: refused. */
export function makeMp3Like(size: number): Buffer {
  return Buffer.concat([Buffer.from('ID3\x03\x00', 'latin1'), randomBytes(Math.max(size - 5, 0))]);
}
