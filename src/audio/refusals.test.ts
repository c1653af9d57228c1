/** Every recording callscribe must refuse is refused, with its own code and a plain sentence. */
import { beforeAll, describe, expect, it } from 'vitest';
import { refusalFixtures } from '../../test/support/audio-fixtures.js';
import { AppError, ERROR_CATALOG } from '../core/errors.js';
import { isPermanentAudioError } from './permanent-errors.js';
import { analyseCall } from './pipeline.js';

let fixtures: Awaited<ReturnType<typeof refusalFixtures>>;
beforeAll(async () => {
  fixtures = await refusalFixtures();
});

describe('refusals (issue 8)', () => {
  it('gives each refusal reason its own exit code', () => {
    const audio = Object.entries(ERROR_CATALOG).filter(([code]) => code.startsWith('E_AUDIO_'));
    const exitCodes = new Set(audio.map(([, e]) => e.exitCode));
    expect(exitCodes.size).toBe(audio.length);
    const others = Object.entries(ERROR_CATALOG).filter(([code]) => !code.startsWith('E_AUDIO_'));
    for (const [, e] of others) expect(exitCodes.has(e.exitCode)).toBe(false);
  });

  it.each([
    'zero-length file',
    'WAV with no samples',
    'text file',
    'MP3',
    'Ogg',
    'truncated WAV',
    'WAV cut inside its header',
    'truncated MP4',
    'corrupt FLAC',
    'ADPCM WAV',
    '96 kHz WAV',
    'mono',
    'silent second channel',
    'noise but no speech on the second channel',
    'same signal on both channels',
    'second channel a scaled copy',
    'second channel a delayed, scaled copy',
  ])('refuses a %s', async (name) => {
    const fixture = fixtures.find((f) => f.name === name)!;
    const error = await analyseCall(fixture.path, { engineRates: [8000, 16000] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe(fixture.code);
    expect(appError.message).toMatch(fixture.says);
    // One plain sentence: ends with a period, no stack, no newline.
    expect(appError.message).toMatch(/^[A-Z][^\n]*\.$/);
    expect(isPermanentAudioError(appError)).toBe(true);
  });
});
