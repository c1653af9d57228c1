/**
 * Decoding by ffmpeg in a child process, streamed: one channel (or a mono downmix) of any accepted
 * recording as 16-bit PCM at the rate asked for, read chunk by chunk so memory stays flat however
 * long the call is. ffmpeg does the resampling too; callscribe writes no codec.
 */
import { spawn } from 'node:child_process';
import { AppError } from '../../core/errors.js';

export interface PcmStreamOptions {
  /** Output samples per second. */
  sampleRate: number;
  /** 0-based channel to extract; omit to downmix every channel to mono. */
  channel?: number;
  signal?: AbortSignal;
}

/**
 * Mono 16-bit samples of one channel, in chunks of whatever size the pipe delivers (a few KiB).
 * @throws AppError `E_AUDIO_CORRUPT` when ffmpeg cannot decode the file.
 */
export async function* pcmStream(path: string, options: PcmStreamOptions): AsyncGenerator<Int16Array> {
  options.signal?.throwIfAborted();
  const filter = options.channel === undefined ? ['-ac', '1'] : ['-af', `pan=mono|c0=c${options.channel}`];
  const child = spawn(
    'ffmpeg',
    [
      '-nostdin',
      '-v',
      'error',
      '-i',
      path,
      ...filter,
      '-ar',
      String(options.sampleRate),
      '-f',
      's16le',
      'pipe:1',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    if (stderr.length < 8192) stderr += d;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  const onAbort = () => child.kill('SIGKILL');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let carry: Buffer | undefined;
  try {
    for await (const data of child.stdout as AsyncIterable<Buffer>) {
      let chunk = carry ? Buffer.concat([carry, data]) : data;
      carry = undefined;
      if (chunk.length % 2 === 1) {
        carry = chunk.subarray(chunk.length - 1);
        chunk = chunk.subarray(0, chunk.length - 1);
      }
      if (chunk.length === 0) continue;
      // Copy: the pipe's buffer may be unaligned and is reused.
      const samples = new Int16Array(chunk.length / 2);
      Buffer.from(samples.buffer).set(chunk);
      yield samples;
    }
    const code = await exited;
    options.signal?.throwIfAborted();
    if (code !== 0) {
      const reason =
        stderr
          .trim()
          .split('\n')
          .pop()
          ?.replace(/^\[[^\]]*\]\s*/, '') ?? '';
      throw new AppError(
        'E_AUDIO_CORRUPT',
        `The recording is corrupt and cannot be decoded${reason ? ` (${reason})` : ''}.`,
      );
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
