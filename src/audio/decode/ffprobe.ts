/**
 * ffprobe: what is inside an accepted container (channels, rate, codec, duration), checked against
 * what callscribe transcribes. ffprobe reads headers only, so this is cheap for hour-long calls.
 */
import { execFile } from 'node:child_process';
import { open, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { AppError } from '../../core/errors.js';
import { type AudioContainer, sniffFile } from '../formats/sniff.js';

const run = promisify(execFile);

export interface AudioInfo {
  container: AudioContainer;
  codec: string;
  channels: number;
  sampleRate: number;
  /** From the container's header; 0 when the header does not say. */
  durationMillis: number;
  sizeBytes: number;
}

/** WAV encodings telephony produces: PCM 8/16/24/32-bit, 32/64-bit float, G.711 μ-law and A-law. */
const WAV_CODECS = new Set([
  'pcm_u8',
  'pcm_s16le',
  'pcm_s24le',
  'pcm_s32le',
  'pcm_f32le',
  'pcm_f64le',
  'pcm_mulaw',
  'pcm_alaw',
]);
const MIN_RATE = 8000;
const MAX_RATE = 48000;

interface ProbeJson {
  streams?: {
    codec_type?: string;
    codec_name?: string;
    sample_rate?: string;
    channels?: number;
    duration?: string;
  }[];
  format?: { duration?: string };
}

function checkEncoding(info: AudioInfo): void {
  if (info.container === 'wav' && !WAV_CODECS.has(info.codec)) {
    throw new AppError(
      'E_AUDIO_UNSUPPORTED_ENCODING',
      `The WAV file is encoded as ${info.codec}: only PCM (8, 16, 24 or 32-bit), 32-bit float, μ-law and A-law WAV are accepted.`,
    );
  }
  if (info.sampleRate < MIN_RATE || info.sampleRate > MAX_RATE) {
    throw new AppError(
      'E_AUDIO_UNSUPPORTED_ENCODING',
      `The recording is sampled at ${info.sampleRate} Hz: only 8000 to 48000 Hz are accepted.`,
    );
  }
}

/** A refusal for a truncated WAV: the RIFF header promises more bytes than the file holds. */
async function checkWavLength(path: string, sizeBytes: number): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(12);
    await handle.read(head, 0, 12, 0);
    const riffSize = head.readUInt32LE(4);
    // Streaming writers leave 0 or 0xFFFFFFFF when they cannot seek back; RF64 keeps its size elsewhere.
    if (head.toString('latin1', 0, 4) !== 'RIFF' || riffSize === 0 || riffSize === 0xffffffff) return;
    if (riffSize + 8 > sizeBytes + 1) {
      throw new AppError(
        'E_AUDIO_CORRUPT',
        `The WAV file is truncated: its header announces ${riffSize + 8} bytes but the file has ${sizeBytes}.`,
      );
    }
  } finally {
    await handle.close();
  }
}

/**
 * Sniffs, probes and checks a recording.
 * @throws AppError `E_AUDIO_EMPTY`, `E_AUDIO_UNSUPPORTED_FORMAT`, `E_AUDIO_CORRUPT`,
 *   `E_AUDIO_UNSUPPORTED_ENCODING`.
 */
export async function probeAudio(path: string): Promise<AudioInfo> {
  const sizeBytes = (await stat(path)).size;
  const container = await sniffFile(path);
  let json: ProbeJson;
  try {
    const { stdout } = await run(
      'ffprobe',
      ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', path],
      { maxBuffer: 4 * 1024 * 1024 },
    );
    json = JSON.parse(stdout) as ProbeJson;
  } catch (error) {
    const detail =
      String((error as { stderr?: string }).stderr ?? '')
        .trim()
        .split('\n')
        .pop() ?? '';
    throw new AppError(
      'E_AUDIO_CORRUPT',
      `The ${container.toUpperCase()} file is truncated or corrupt and cannot be read${detail ? ` (${detail.replace(/^.*?: /, '')})` : ''}.`,
      { cause: error },
    );
  }
  const stream = json.streams?.find((s) => s.codec_type === 'audio');
  if (!stream) {
    throw new AppError('E_AUDIO_EMPTY', `The ${container.toUpperCase()} file holds no audio stream.`);
  }
  const seconds = Number(stream.duration ?? json.format?.duration ?? 0);
  const info: AudioInfo = {
    container,
    codec: stream.codec_name ?? 'unknown',
    channels: stream.channels ?? 0,
    sampleRate: Number(stream.sample_rate ?? 0),
    durationMillis: Number.isFinite(seconds) ? Math.round(seconds * 1000) : 0,
    sizeBytes,
  };
  checkEncoding(info);
  if (container === 'wav') await checkWavLength(path, sizeBytes);
  if (info.channels < 1) throw new AppError('E_AUDIO_CORRUPT', 'The recording declares no audio channels.');
  return info;
}
