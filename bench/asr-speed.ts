/**
 * Speed of transcription as a real-time factor (audio seconds per wall second) for a 10-minute
 * two-channel 8 kHz μ-law call, end to end and per stage, beside plain `pocketsphinx_continuous`
 * run on the same audio in the same run (both channels at once, as the pipeline does); then peak
 * memory of the whole process tree (Node + ffmpeg/VAD children + decoder workers) for a 10- and a
 * 60-minute call.
 *
 *   node --import tsx bench/asr-speed.ts       ASR_SPEED_MINUTES=10,60 (default) chooses the calls
 */
import { execFile, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Dialogue, generateCall, TUNING_DIALOGUES } from '../test/support/speech-corpus.js';
import { channelAsWideband, pocketsphinxContinuous } from './asr-lib/scoring.js';

const run = promisify(execFile);
const WORK = path.join(os.tmpdir(), 'callscribe-asr-bench');
const MINUTES = (process.env.ASR_SPEED_MINUTES ?? '10,60').split(',').map(Number);

/** All tuning dialogues back to back: a long call of realistic turn-taking. */
const LONG: Dialogue = { id: 'long-call', turns: TUNING_DIALOGUES.flatMap((d) => d.turns) };

async function longCall(minutes: number) {
  return generateCall(LONG, { sampleRate: 8000, encoding: 'mulaw', minDurationMillis: minutes * 60_000 });
}

/** Sum of resident memory of `pid` and all its descendants, in MiB (Linux /proc). */
function treeRssMiB(root: number): number {
  const parent = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(fields[1]));
      rss.set(Number(entry), (Number(fields[21]) * 4096) / 2 ** 20);
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  for (const [pid, size] of rss) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p)) {
      if (p === root) {
        total += size;
        break;
      }
    }
  }
  return total;
}

interface OnceResult {
  durationMillis: number;
  totalMillis: number;
  analysisMillis: number;
  recognitionMillis: number;
  utterances: number;
  words: number;
  speechMillis: number;
  parentMaxRssMiB: number;
  peakTreeMiB: number;
}

/** Transcribes `file` in a child process, sampling the tree's memory every 100 ms. */
async function transcribeOnce(file: string): Promise<OnceResult> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'asr-lib', 'transcribe-once.ts'), file],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRssMiB(child.pid!));
  }, 100);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(timer);
  if (code !== 0) throw new Error(`transcribe-once exited with ${code}`);
  return {
    ...(JSON.parse(out.trim().split('\n').at(-1)!) as Omit<OnceResult, 'peakTreeMiB'>),
    peakTreeMiB: peak,
  };
}

const rtf = (audioMillis: number, wallMillis: number) =>
  `${(audioMillis / wallMillis).toFixed(1)}x real time`;

console.log(`ASR speed — two-channel 8 kHz mu-law calls, ${os.availableParallelism()} cores`);
const results = new Map<number, OnceResult>();
for (const minutes of MINUTES) {
  const call = await longCall(minutes);
  const audio = call.durationMillis;
  if (minutes === MINUTES[0]) {
    // Decode alone: ffmpeg reading both channels of the file to 16 kHz PCM (what the analysis does).
    let t = performance.now();
    await Promise.all(
      [0, 1].map((c) =>
        run('ffmpeg', [
          '-nostdin',
          '-v',
          'error',
          '-i',
          call.path,
          '-af',
          `pan=mono|c0=c${c}`,
          '-ar',
          '16000',
          '-f',
          's16le',
          '-y',
          '/dev/null',
        ]),
      ),
    );
    const decodeMillis = performance.now() - t;
    // Baseline: sox extracts each channel (upsampled to 16 kHz), pocketsphinx_continuous decodes it.
    t = performance.now();
    const wavs = await Promise.all(
      [1, 2].map((c) => channelAsWideband(call.path, c, path.join(WORK, `speed-${Date.now()}`))),
    );
    const extractMillis = performance.now() - t;
    t = performance.now();
    await Promise.all(wavs.map((w) => pocketsphinxContinuous(w)));
    const baselineMillis = performance.now() - t;
    const ours = await transcribeOnce(call.path);
    results.set(minutes, ours);
    const speechShare = ours.speechMillis / (audio * call.channels.length);
    console.log(
      `${minutes}-minute call (${(audio / 1000).toFixed(0)} s, ${ours.utterances} utterances, ${(speechShare * 100).toFixed(0)}% of channel time is speech):`,
    );
    console.log(
      `  baseline pocketsphinx_continuous, whole channels: ${rtf(audio, baselineMillis + extractMillis)} (decode ${rtf(audio, extractMillis)}, recognition ${rtf(audio, baselineMillis)})`,
    );
    console.log(
      `  ours end to end:                                   ${rtf(audio, ours.totalMillis)}  = ${((baselineMillis + extractMillis) / ours.totalMillis).toFixed(2)}x the baseline's speed`,
    );
    console.log(`    decode only (ffmpeg, both channels):             ${rtf(audio, decodeMillis)}`);
    console.log(`    analysis (decode + Silero VAD + checks):         ${rtf(audio, ours.analysisMillis)}`);
    console.log(`    recognition (speech found by the VAD):           ${rtf(audio, ours.recognitionMillis)}`);
  } else {
    results.set(minutes, await transcribeOnce(call.path));
  }
}
for (const [minutes, r] of results) {
  console.log(
    `  peak memory, ${String(minutes).padStart(2)}-minute call: ${r.peakTreeMiB.toFixed(0)} MiB process tree (Node parent ${r.parentMaxRssMiB.toFixed(0)} MiB), ${rtf(r.durationMillis, r.totalMillis)} end to end`,
  );
}
if (results.size > 1) {
  const [a, b] = [...results.values()];
  console.log(
    `  memory ratio ${MINUTES.at(-1)}-min / ${MINUTES[0]}-min: ${(b!.peakTreeMiB / a!.peakTreeMiB).toFixed(2)}x (flat = 1)`,
  );
}
