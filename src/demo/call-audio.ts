/**
 * Generates two-channel call recordings with real synthetic speech, for the demo (`npm start`),
 * the end-to-end tests and the benchmarks: Debian `flite` speaks each turn, `sox` places the turns
 * on their speaker's channel (channel 1 the caller, channel 2 the recipient) with the gaps between
 * them, and writes a WAV. Both tools are installed by scripts/setup.sh.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Turn {
  /** 1 = caller, 2 = recipient. */
  channel: 1 | 2;
  text: string;
  /** A flite voice: `slt`, `kal`, `awb`, `rms`. */
  voice?: string;
}

export interface CallAudioOptions {
  /** Output sample rate. Default 8000 (telephone band). */
  rate?: number;
  /** Silence between turns, in seconds. Default 0.6. */
  gapSeconds?: number;
  /** `stereo` (default), or `mono` to mix both speakers onto one channel (a refusal case). */
  layout?: 'stereo' | 'mono';
  /** Repeat the dialogue until the call lasts at least this long (benchmarks' 10-minute calls). */
  minSeconds?: number;
}

async function duration(file: string): Promise<number> {
  const { stdout } = await run('soxi', ['-D', file]);
  return Number(stdout.trim());
}

async function speakTurn(dir: string, turn: Turn, i: number): Promise<string> {
  const raw = path.join(dir, `turn-${i}.raw.wav`);
  const out = path.join(dir, `turn-${i}.wav`);
  await run('flite', [
    '-voice',
    turn.voice ?? (turn.channel === 1 ? 'slt' : 'kal'),
    '-t',
    turn.text,
    '-o',
    raw,
  ]);
  await run('sox', [raw, '-r', '16000', '-c', '1', '-b', '16', out]);
  return out;
}

/**
 * Writes the call to `file` (cached: the same script and options give the same file, made once).
 * Returns the file's path and its length in seconds.
 */
export async function generateCallAudio(
  file: string,
  turns: readonly Turn[],
  options: CallAudioOptions = {},
): Promise<{ path: string; seconds: number }> {
  const key = createHash('sha256').update(JSON.stringify({ turns, options })).digest('hex').slice(0, 16);
  const target = file.replace(/(\.wav)?$/, `-${key}.wav`);
  if (existsSync(target)) return { path: target, seconds: await duration(target) };
  const dir = `${target}.parts`;
  await mkdir(dir, { recursive: true });
  try {
    const clips = await Promise.all(turns.map((t, i) => speakTurn(dir, t, i)));
    const lengths = await Promise.all(clips.map(duration));
    const gap = options.gapSeconds ?? 0.6;
    // Each channel: its own turns at their times, silence while the other side talks.
    const channelFiles: string[] = [];
    for (const channel of [1, 2] as const) {
      const files: string[] = [];
      const silence = async (seconds: number) => {
        const pad = path.join(dir, `pad-${channel}-${files.length}.wav`);
        await run('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', pad, 'trim', '0', seconds.toFixed(3)]);
        files.push(pad);
      };
      let t = 0;
      let filled = 0;
      for (const [i, turn] of turns.entries()) {
        if (turn.channel === channel) {
          if (t > filled) await silence(t - filled);
          files.push(clips[i]!);
          filled = t + lengths[i]!;
        }
        t += lengths[i]! + gap;
      }
      await silence(Math.max(0.1, t - filled));
      const out = path.join(dir, `channel-${channel}.wav`);
      await run('sox', [...files, out]);
      channelFiles.push(out);
    }
    let once = path.join(dir, 'call-once.wav');
    if (options.layout === 'mono') await run('sox', ['-m', ...channelFiles, once]);
    else await run('sox', ['-M', ...channelFiles, once]);
    if (options.minSeconds) {
      const copies = Math.max(1, Math.ceil(options.minSeconds / (await duration(once))));
      const long = path.join(dir, 'call-long.wav');
      await run('sox', [...Array<string>(copies).fill(once), long]);
      once = long;
    }
    const tmp = `${target}.tmp.wav`;
    await run('sox', [once, '-r', String(options.rate ?? 8000), '-b', '16', tmp]);
    await rename(tmp, target);
    return { path: target, seconds: await duration(target) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A short sales call (about 15 s), the demo's and the tests' default. */
export const SAMPLE_DIALOGUE: readonly Turn[] = [
  { channel: 1, text: 'Hello, this is Dana from callscribe. Is now a good time to talk about your order?' },
  { channel: 2, text: 'Yes, hi Dana. I placed the order last week and it has not arrived yet.' },
  { channel: 1, text: 'I am sorry to hear that. I will send a replacement today with express shipping.' },
  { channel: 2, text: 'Thank you, that would be great.' },
];
