/**
 * Where the pocketsphinx model files are and which decoder settings are used per sample rate.
 * The acoustic model, language model and dictionary are Debian's `pocketsphinx-en-us`; the
 * acoustic model is adapted to the input by MLLR transforms kept in src/audio/asr/assets/.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PocketsphinxModel {
  /** Acoustic model directory. */
  hmm: string;
  /** N-gram language model (ARPA or binary). */
  lm: string;
  /** Pronunciation dictionary. */
  dict: string;
  /** Optional MLLR transform adapting the acoustic model to 16 kHz input. */
  mllr?: string;
  /** Optional MLLR transform adapting the acoustic model to (upsampled) 8 kHz telephone input. */
  mllrTelephone?: string;
}

export const DEBIAN_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

/** Debian's en-us model as packaged: the generic baseline. */
export const DEBIAN_MODEL: PocketsphinxModel = {
  hmm: path.join(DEBIAN_MODEL_DIR, 'en-us'),
  lm: path.join(DEBIAN_MODEL_DIR, 'en-us.lm.bin'),
  dict: path.join(DEBIAN_MODEL_DIR, 'cmudict-en-us.dict'),
};

/** The folder of tuned assets, found from this module in src/ or dist/src/. */
export const ASSETS_DIR = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'src', 'audio', 'asr', 'assets');
    dir = path.dirname(dir);
  }
  return path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');
})();

/**
 * The default model: Debian's acoustic model, language model and dictionary, plus the global MLLR
 * transform for upsampled 8 kHz telephone input estimated on the generated TUNING calls
 * (test/support/speech/adapt-mllr.ts). No wideband transform by default: held out by voice on the
 * tuning side, it gained nothing for an unseen speaker (docs/decisions/0006).
 */
export function defaultModel(): PocketsphinxModel {
  const telephone = path.join(ASSETS_DIR, 'mllr-telephone');
  return { ...DEBIAN_MODEL, mllrTelephone: existsSync(telephone) ? telephone : undefined };
}

/**
 * What the decoder is fed: wideband 16 kHz, or 8 kHz telephone audio upsampled to 16 kHz. (An 8 kHz
 * front end — `-samprate 8000 -nfft 256 -upperf 3500` — mismatches the wideband model's 25-filter
 * bank up to 6.8 kHz: 93% WER on the tuning set against 31% upsampled; docs/decisions/0006.)
 */
export type InputKind = 'wideband' | 'telephone';

/** Decoder arguments for one input kind. */
export function decoderArgsFor(
  kind: InputKind,
  model: Partial<PocketsphinxModel> = {},
): Record<string, string | number | boolean> {
  const m = { ...defaultModel(), ...model };
  const args: Record<string, string | number | boolean> = {
    '-hmm': m.hmm,
    '-lm': m.lm,
    '-dict': m.dict,
    '-logfn': '/dev/null',
    '-samprate': 16000,
    // Keep every frame: the front end's own silence removal would shift word times.
    '-remove_silence': false,
  };
  const mllr = kind === 'wideband' ? m.mllr : m.mllrTelephone;
  if (mllr) args['-mllr'] = mllr;
  return args;
}
