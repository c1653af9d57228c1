/**
 * Acoustic adaptation of Debian's en-us model with sphinxtrain (bw + mllr_solve): one global MLLR
 * transform for wideband input and one for 8 kHz μ-law telephone input (upsampled to 16 kHz as the
 * recogniser does), estimated on the TUNING calls only (their ground-truth utterances ± 250 ms).
 * Writes src/audio/asr/assets/mllr-telephone (a small text matrix); MLLR_KINDS=wideband,telephone
 * also estimates the wideband transform (not used by default: it did not help unseen voices).
 *
 *   node --import tsx test/support/speech/adapt-mllr.ts [OUT_DIR]
 *   MLLR_VOICES=kal,kal16 …   adapts on some tuning voices only (leave-one-voice-out checks)
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ASSETS_DIR, DEBIAN_MODEL } from '../../../src/audio/asr/pocketsphinx-settings.js';
import { upsample2x } from '../../../src/audio/asr/resample.js';
import { generateCall, readPcm16, tuningCorpus } from '../speech-corpus.js';

const run = promisify(execFile);
const ST = '/usr/lib/sphinxtrain';
const MARGIN = 250;

function wav16(samples: Int16Array): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + samples.byteLength, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(16000, 24);
  header.writeUInt32LE(32000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(samples.byteLength, 40);
  return Buffer.concat([header, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)]);
}

/** A copy of the acoustic model with the text mdef and mixture weights sphinxtrain needs. */
async function trainableModel(dir: string): Promise<string> {
  const hmm = path.join(dir, 'hmm');
  await mkdir(hmm, { recursive: true });
  for (const f of ['means', 'variances', 'transition_matrices', 'feat.params', 'noisedict']) {
    await symlink(path.join(DEBIAN_MODEL.hmm, f), path.join(hmm, f));
  }
  await run('pocketsphinx_mdef_convert', [
    '-text',
    path.join(DEBIAN_MODEL.hmm, 'mdef'),
    path.join(hmm, 'mdef.txt'),
  ]);
  await run('/usr/bin/python3', [
    path.join(import.meta.dirname, 'sendump-to-mixw.py'),
    path.join(DEBIAN_MODEL.hmm, 'sendump'),
    path.join(hmm, 'mixture_weights'),
  ]);
  return hmm;
}

async function adapt(kind: 'wideband' | 'telephone', hmm: string, dir: string): Promise<string> {
  const work = path.join(dir, kind);
  const wavs = path.join(work, 'wav');
  await mkdir(wavs, { recursive: true });
  const ids: string[] = [];
  const lines: string[] = [];
  const voices = process.env.MLLR_VOICES?.split(',');
  for (const entry of tuningCorpus()) {
    const rate = kind === 'wideband' ? 16000 : 8000;
    const call = await generateCall(entry.dialogue, {
      voices: entry.voices,
      sampleRate: rate,
      encoding: kind === 'wideband' ? 'pcm16' : 'mulaw',
    });
    for (const c of call.channels) {
      if (voices && !voices.includes(c.voice)) continue;
      const pcm = await readPcm16(call.path, rate, c.channel);
      for (const [i, u] of c.utterances.entries()) {
        const a = Math.max(0, Math.round(((u.startMillis - MARGIN) * rate) / 1000));
        const b = Math.round(((u.endMillis + MARGIN) * rate) / 1000);
        const cut = pcm.slice(a, b);
        const id = `${entry.dialogue.id}-ch${c.channel}-${i}`;
        await writeFile(path.join(wavs, `${id}.wav`), wav16(rate === 8000 ? upsample2x(cut) : cut));
        ids.push(id);
        lines.push(`<s> ${u.text} </s> (${id})`);
      }
    }
  }
  await writeFile(path.join(work, 'fileids'), ids.join('\n') + '\n');
  await writeFile(path.join(work, 'transcription'), lines.join('\n') + '\n');
  await run('sphinx_fe', [
    '-argfile',
    path.join(hmm, 'feat.params'),
    '-samprate',
    '16000',
    '-c',
    path.join(work, 'fileids'),
    '-di',
    wavs,
    '-do',
    wavs,
    '-ei',
    'wav',
    '-eo',
    'mfc',
    '-mswav',
    'yes',
  ]);
  await run(
    `${ST}/bw`,
    [
      '-hmmdir',
      hmm,
      '-moddeffn',
      path.join(hmm, 'mdef.txt'),
      '-ts2cbfn',
      '.ptm.',
      '-feat',
      '1s_c_d_dd',
      '-svspec',
      '0-12/13-25/26-38',
      '-cmn',
      'batch',
      '-agc',
      'none',
      '-dictfn',
      DEBIAN_MODEL.dict,
      '-ctlfn',
      path.join(work, 'fileids'),
      '-lsnfn',
      path.join(work, 'transcription'),
      '-cepdir',
      wavs,
      '-accumdir',
      work,
    ],
    { maxBuffer: 1 << 28 },
  );
  const out = path.join(work, 'mllr_matrix');
  await run(`${ST}/mllr_solve`, [
    '-meanfn',
    path.join(hmm, 'means'),
    '-varfn',
    path.join(hmm, 'variances'),
    '-outmllrfn',
    out,
    '-accumdir',
    work,
  ]);
  return out;
}

const outDir = process.argv[2] ?? ASSETS_DIR;
const dir = await mkdtemp(path.join(os.tmpdir(), 'callscribe-mllr-'));
try {
  const hmm = await trainableModel(dir);
  const kinds = (process.env.MLLR_KINDS ?? 'telephone').split(',') as ('wideband' | 'telephone')[];
  for (const kind of kinds) {
    const matrix = await adapt(kind, hmm, dir);
    await copyFile(matrix, path.join(outDir, `mllr-${kind}`));
    console.log(`wrote ${path.join(outDir, `mllr-${kind}`)}`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
