/**
 * Word error rate of the default engine, scored with NIST sclite (Debian `sctk`) on normalised text
 * (lower case, no punctuation), against plain `pocketsphinx_continuous` measured in the same run:
 *
 * - the held-out EVALUATION calls (sentences and voices the recogniser was never tuned on), as
 *   16 kHz 16-bit wideband and as 8 kHz μ-law telephone calls, both with a -30 dB crosstalk leak;
 *   one scoring unit per channel of a call (its utterances joined in time order);
 * - Debian's pocketsphinx-testdata recordings (librivox, cards, goforward), one unit per file.
 *
 * Systems: `baseline` = pocketsphinx_continuous on each whole channel (8 kHz upsampled to 16 kHz,
 * since its 8 kHz front end does not fit the wideband model); `ours` = `transcribeFile` (VAD,
 * crosstalk suppression, our recogniser); `ours, truth cuts` = our recogniser on the ground-truth
 * utterances ± 250 ms, which separates recogniser errors from segmentation errors.
 *
 * `node --import tsx bench/asr-wer.ts` (ASR_WER_SET=tuning scores the tuning set instead).
 */
import os from 'node:os';
import path from 'node:path';
import { createPocketsphinxRecognizer } from '../src/audio/asr/pocketsphinx-recognizer.js';
import { transcribeFile } from '../src/audio/pipeline.js';
import type { Recognizer } from '../src/core/ports/recognizer.js';
import {
  type CorpusEntry,
  evaluationCorpus,
  type GeneratedCall,
  generateCall,
  loadPocketsphinxTestdata,
  readPcm16,
  readTestdata,
  tuningCorpus,
} from '../test/support/speech-corpus.js';
import {
  channelAsWideband,
  formatScore,
  mapLimit,
  type Pair,
  pocketsphinxContinuous,
  type Scored,
  sclite,
} from './asr-lib/scoring.js';

const WORK = path.join(os.tmpdir(), 'callscribe-asr-bench');
const MARGIN = 250;

interface Variant {
  name: string;
  sampleRate: number;
  encoding: 'pcm16' | 'mulaw';
}

const VARIANTS: Variant[] = [
  { name: 'wideband 16 kHz', sampleRate: 16000, encoding: 'pcm16' },
  { name: '8 kHz mu-law', sampleRate: 8000, encoding: 'mulaw' },
];

const joinChannel = (call: GeneratedCall, channel: number) =>
  call.channels[channel - 1]!.utterances.map((u) => u.text).join(' ');

async function baseline(calls: { id: string; call: GeneratedCall }[]): Promise<Pair[]> {
  const units = calls.flatMap(({ id, call }) => call.channels.map((c) => ({ id, call, channel: c.channel })));
  return mapLimit(units, os.availableParallelism(), async ({ id, call, channel }) => ({
    id: `${id}_ch${channel}`,
    ref: joinChannel(call, channel),
    hyp: await pocketsphinxContinuous(await channelAsWideband(call.path, channel, WORK)),
  }));
}

async function pipeline(
  calls: { id: string; call: GeneratedCall }[],
  recognizer: Recognizer,
): Promise<Pair[]> {
  const pairs: Pair[] = [];
  for (const { id, call } of calls) {
    const transcript = await transcribeFile(call.path, { recognizer });
    for (const c of call.channels) {
      const hyp = transcript.utterances
        .filter((u) => u.channel === c.channel)
        .map((u) => u.text)
        .join(' ');
      pairs.push({ id: `${id}_ch${c.channel}`, ref: joinChannel(call, c.channel), hyp });
    }
  }
  return pairs;
}

async function truthCuts(
  calls: { id: string; call: GeneratedCall }[],
  recognizer: Recognizer,
): Promise<Pair[]> {
  const pairs: Pair[] = [];
  for (const { id, call } of calls) {
    const rate = call.sampleRate;
    await Promise.all(
      call.channels.map(async (c) => {
        const pcm = await readPcm16(call.path, rate, c.channel);
        const texts = await Promise.all(
          c.utterances.map(async (u) => {
            const a = Math.max(0, Math.round(((u.startMillis - MARGIN) * rate) / 1000));
            const b = Math.round(((u.endMillis + MARGIN) * rate) / 1000);
            const r = await recognizer.recognize({
              samples: pcm.slice(a, b),
              sampleRate: rate,
              language: 'en-US',
            });
            return r.words.map((w) => w.text).join(' ');
          }),
        );
        pairs.push({ id: `${id}_ch${c.channel}`, ref: joinChannel(call, c.channel), hyp: texts.join(' ') });
      }),
    );
  }
  return pairs;
}

async function testdata(recognizer: Recognizer): Promise<{ baseline: Pair[]; ours: Pair[] }> {
  const recordings = await loadPocketsphinxTestdata();
  const base = await mapLimit(recordings, os.availableParallelism(), async (r) => {
    const wav = r.raw
      ? await (async () => {
          const out = path.join(WORK, `${path.basename(r.path)}.wav`);
          const { execFile } = await import('node:child_process');
          const { promisify } = await import('node:util');
          await promisify(execFile)('sox', [
            '-t',
            'raw',
            '-r',
            '16000',
            '-e',
            'signed-integer',
            '-b',
            '16',
            '-c',
            '1',
            r.path,
            out,
          ]);
          return out;
        })()
      : r.path;
    return { id: r.id.replace('/', '_'), ref: r.text, hyp: await pocketsphinxContinuous(wav) };
  });
  const ours = await Promise.all(
    recordings.map(async (r) => {
      const { words } = await recognizer.recognize({
        samples: await readTestdata(r),
        sampleRate: r.sampleRate,
        language: 'en-US',
      });
      return { id: r.id.replace('/', '_'), ref: r.text, hyp: words.map((w) => w.text).join(' ') };
    }),
  );
  return { baseline: base, ours };
}

export interface WerReport {
  set: string;
  rows: { data: string; system: string; score: Scored }[];
}

/** Runs the WER bench and prints one line per (data, system) with the ratio to the baseline. */
export async function runWerBench(set = process.env.ASR_WER_SET ?? 'evaluation'): Promise<WerReport> {
  const corpus: CorpusEntry[] = set === 'tuning' ? tuningCorpus() : evaluationCorpus();
  const recognizer = createPocketsphinxRecognizer();
  const rows: WerReport['rows'] = [];
  const show = (data: string, system: string, score: Scored, base?: Scored) => {
    rows.push({ data, system, score });
    const ratio = base ? `  ${(score.wer / Math.max(0.01, base.wer)).toFixed(2)}x baseline` : '';
    console.log(formatScore(`${data} · ${system}`, score) + ratio);
  };
  try {
    console.log(
      `ASR word error rate — ${set} set (${corpus.length} two-channel calls, -30 dB crosstalk), sclite`,
    );
    for (const v of VARIANTS) {
      const calls = await Promise.all(
        corpus.map(async (e) => ({
          id: e.dialogue.id,
          call: await generateCall(e.dialogue, {
            voices: e.voices,
            sampleRate: v.sampleRate,
            encoding: v.encoding,
          }),
        })),
      );
      const base = await sclite(await baseline(calls));
      show(v.name, 'baseline pocketsphinx_continuous', base);
      show(v.name, 'ours (VAD pipeline)', await sclite(await pipeline(calls, recognizer)), base);
      show(v.name, 'ours, truth cuts ±250 ms', await sclite(await truthCuts(calls, recognizer)), base);
    }
    const td = await testdata(recognizer);
    const base = await sclite(td.baseline);
    show('pocketsphinx-testdata', 'baseline pocketsphinx_continuous', base);
    show('pocketsphinx-testdata', 'ours (recogniser, whole file)', await sclite(td.ours), base);
  } finally {
    await recognizer.close();
  }
  return { set, rows };
}

await runWerBench();
