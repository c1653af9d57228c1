/**
 * Child process of bench/asr-speed.ts: transcribes one file with the default pocketsphinx engine
 * and prints one JSON line with the wall time of each stage (from the pipeline's progress events).
 *   node --import tsx bench/asr-lib/transcribe-once.ts FILE
 */
import { createPocketsphinxRecognizer } from '../../src/audio/asr/pocketsphinx-recognizer.js';
import { transcribeFile } from '../../src/audio/pipeline.js';

const file = process.argv[2]!;
const recognizer = createPocketsphinxRecognizer();
const t0 = performance.now();
let recognisingAt = 0;
const transcript = await transcribeFile(file, {
  recognizer,
  onProgress: (p) => {
    if (p.stage === 'recognising' && recognisingAt === 0) recognisingAt = performance.now();
  },
});
const end = performance.now();
await recognizer.close();
const speechMillis = transcript.utterances.reduce((n, u) => n + u.endTimeMillis - u.startTimeMillis, 0);
console.log(
  JSON.stringify({
    durationMillis: transcript.durationMillis,
    totalMillis: end - t0,
    analysisMillis: recognisingAt - t0,
    recognitionMillis: end - recognisingAt,
    utterances: transcript.utterances.length,
    words: transcript.utterances.reduce((n, u) => n + u.words.length, 0),
    speechMillis,
    parentMaxRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
