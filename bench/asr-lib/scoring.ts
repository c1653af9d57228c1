/**
 * Shared pieces of the ASR benches: scoring with NIST sclite (Debian `sctk`), the plain
 * `pocketsphinx_continuous` baseline, and channel extraction with sox.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { normalizeText } from '../../test/support/speech-corpus.js';

const run = promisify(execFile);

export interface Scored {
  words: number;
  errors: number;
  /** Percent. */
  wer: number;
  sub: number;
  del: number;
  ins: number;
}

/** One scoring unit: an id (`speaker_utterance`), its reference and hypothesis text. */
export interface Pair {
  id: string;
  ref: string;
  hyp: string;
}

const SCLITE = ['/usr/lib/sctk/bin/sclite', '/usr/bin/sclite'].find((p) => existsSync(p)) ?? 'sclite';

/** Scores normalised (lower case, no punctuation) pairs with sclite; returns its Sum/Avg line. */
export async function sclite(pairs: readonly Pair[]): Promise<Scored> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'callscribe-sclite-'));
  try {
    const line = (text: string, id: string) =>
      `${normalizeText(text)} (${id.replace(/[^A-Za-z0-9_-]/g, '-')})`;
    await writeFile(path.join(dir, 'ref.trn'), pairs.map((p) => line(p.ref, p.id)).join('\n') + '\n');
    await writeFile(path.join(dir, 'hyp.trn'), pairs.map((p) => line(p.hyp, p.id)).join('\n') + '\n');
    const { stdout } = await run(
      SCLITE,
      ['-r', 'ref.trn', 'trn', '-h', 'hyp.trn', 'trn', '-i', 'rm', '-o', 'sum', 'stdout'],
      {
        cwd: dir,
        maxBuffer: 1 << 26,
      },
    );
    const sum = stdout.split('\n').find((l) => l.includes('Sum/Avg'));
    const nums = (sum ?? '').replace(/[|]/g, ' ').trim().split(/\s+/).slice(1).map(Number);
    // Sum/Avg | #Snt #Wrd | Corr Sub Del Ins Err S.Err
    const [, words = 0, , sub = 0, del = 0, ins = 0, err = 0] = nums;
    return { words, errors: Math.round((err * words) / 100), wer: err, sub, del, ins };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Extracts one channel (1-based) of any file as 16 kHz 16-bit mono WAV (telephone audio upsampled). */
export async function channelAsWideband(file: string, channel: number, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const out = path.join(dir, `${path.basename(file)}.ch${channel}.16k.wav`);
  if (!existsSync(out)) {
    await run('sox', [
      file,
      '-r',
      '16000',
      '-b',
      '16',
      '-c',
      '1',
      '-e',
      'signed-integer',
      out,
      'remix',
      String(channel),
    ]);
  }
  return out;
}

/** Plain `pocketsphinx_continuous` with Debian's en-us model on one 16 kHz mono file: the baseline. */
export async function pocketsphinxContinuous(wav: string): Promise<string> {
  const { stdout } = await run('pocketsphinx_continuous', ['-infile', wav, '-logfn', '/dev/null'], {
    maxBuffer: 1 << 26,
  });
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
}

/** Runs `task` over `items`, `limit` at a time. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i]!);
      }
    }),
  );
  return results;
}

export function formatScore(name: string, s: Scored): string {
  return `${name.padEnd(44)} WER ${s.wer.toFixed(1).padStart(5)}%  (${s.words} words: sub ${s.sub.toFixed(1)} del ${s.del.toFixed(1)} ins ${s.ins.toFixed(1)})`;
}
