/** `callscribe transcribe` as a user runs it (the built CLI): output formats, refusals, exit codes. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusalFixtures } from '../../../test/support/audio-fixtures.js';
import { callscribe } from '../../../test/support/cli.js';
import { generateCall, TUNING_VOICES } from '../../../test/support/speech-corpus.js';
import { ERROR_CATALOG } from '../../core/errors.js';

let env: NodeJS.ProcessEnv;
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'callscribe-cli-transcribe-'));
  env = { CALLSCRIBE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('callscribe transcribe (issue 8)', () => {
  it('prints WebVTT with voice tags, the named speakers in time order', async () => {
    const call = await generateCall(
      {
        id: 'test-cli-short',
        turns: [
          [1, 'hi i am checking on the order we placed on monday'],
          [2, 'of course what is the order number'],
        ],
      },
      { voices: [TUNING_VOICES[0], TUNING_VOICES[1]], sampleRate: 8000, encoding: 'alaw' },
    );
    const result = await callscribe(
      ['transcribe', call.path, '--format', 'vtt', '--speakers', 'Ana,Bo'],
      env,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const cues = result.stdout.split('\n\n');
    expect(cues[0]).toBe('WEBVTT');
    expect(cues[1]).toMatch(/^00:00:00\.\d{3} --> 00:00:0\d\.\d{3}\n<v Ana>.+<\/v>$/);
    expect(cues.at(-1)).toMatch(/<v Bo>.*order.*<\/v>\n$/);
  });

  it('refuses with one sentence on stderr, nothing on stdout, and the code’s own exit status', async () => {
    const fixtures = await refusalFixtures();
    for (const name of ['mono', 'MP3', 'same signal on both channels', 'zero-length file']) {
      const fixture = fixtures.find((f) => f.name === name)!;
      const result = await callscribe(['transcribe', fixture.path, '--format', 'json'], env);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(fixture.says);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.code).toBe(ERROR_CATALOG[fixture.code as keyof typeof ERROR_CATALOG].exitCode);
    }
  });

  it('refuses a missing file and an unknown format plainly', async () => {
    const missing = await callscribe(['transcribe', path.join(dataDir, 'nope.wav')], env);
    expect([missing.code, missing.stdout]).toEqual([ERROR_CATALOG.E_NOT_FOUND.exitCode, '']);
    const badFormat = await callscribe(['transcribe', 'x.wav', '--format', 'docx'], env);
    expect(badFormat.code).toBe(ERROR_CATALOG.E_VALIDATION.exitCode);
    expect(badFormat.stderr).toMatch(/--format must be one of json, vtt, srt, text/);
  });
});
