/**
 * Recordings callscribe must refuse (and a few it must accept), made with sox and ffmpeg from
 * pocketsphinx-testdata speech and the generated corpus. Cached under os.tmpdir() per content
 * recipe, so a test file pays for each fixture once.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const FIXTURE_DIR = path.join(tmpdir(), 'callscribe-audio-fixtures-v1');
const TESTDATA = '/usr/share/pocketsphinx/test/data';
/** "go forward ten meters", 16 kHz mono, as WAV. */
export const GOFORWARD_RAW = path.join(TESTDATA, 'goforward.raw');
export const LIBRIVOX = path.join(TESTDATA, 'librivox');

async function cachedFile(name: string, make: (target: string) => Promise<void>): Promise<string> {
  const file = path.join(FIXTURE_DIR, name);
  if (existsSync(file)) return file;
  await mkdir(FIXTURE_DIR, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp${path.extname(name)}`;
  await make(tmp);
  await rename(tmp, file);
  return file;
}

const sox = async (args: string[]): Promise<void> => {
  await run('sox', ['-D', '-R', ...args]);
};
const ffmpeg = async (args: string[]): Promise<void> => {
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
};

/** goforward as a 16 kHz mono WAV. */
export const speechMono = () =>
  cachedFile('speech-mono.wav', (t) =>
    sox(['-t', 'raw', '-r', '16000', '-e', 'signed', '-b', '16', '-c', '1', GOFORWARD_RAW, t]),
  );

/** Two channels built from the mono speech with a sox `remix` spec per channel (`-m` mixes inputs). */
async function stereo(name: string, channel2: string[]): Promise<string> {
  const mono = await speechMono();
  return cachedFile(name, async (t) => {
    const second = `${t}.c2.wav`;
    await sox([mono, second, ...channel2]);
    await sox(['-M', mono, second, t]);
  });
}

/** Every refusal case: file, expected code, and a word the sentence must contain. */
export async function refusalFixtures(): Promise<
  { name: string; path: string; code: string; says: RegExp }[]
> {
  const mono = await speechMono();
  const call = await stereo('two-speakers.wav', ['reverse']);
  return [
    {
      name: 'zero-length file',
      path: await cachedFile('empty.wav', (t) => writeFile(t, '')),
      code: 'E_AUDIO_EMPTY',
      says: /empty/,
    },
    {
      name: 'WAV with no samples',
      path: await cachedFile('no-samples.wav', (t) =>
        sox(['-n', '-r', '16000', '-c', '2', '-b', '16', t, 'trim', '0', '0']),
      ),
      code: 'E_AUDIO_EMPTY',
      says: /no audio/,
    },
    {
      name: 'text file',
      path: await cachedFile('notes.wav', (t) => writeFile(t, 'Call notes: ring back on Tuesday.\n')),
      code: 'E_AUDIO_UNSUPPORTED_FORMAT',
      says: /text/,
    },
    {
      name: 'MP3',
      path: await cachedFile('call.mp3', (t) => ffmpeg(['-i', call, '-c:a', 'libmp3lame', '-f', 'mp3', t])),
      code: 'E_AUDIO_UNSUPPORTED_FORMAT',
      says: /MP3/,
    },
    {
      name: 'Ogg',
      path: await cachedFile('call.ogg', (t) => ffmpeg(['-i', call, '-c:a', 'libvorbis', '-f', 'ogg', t])),
      code: 'E_AUDIO_UNSUPPORTED_FORMAT',
      says: /Ogg/,
    },
    {
      name: 'truncated WAV',
      path: await cachedFile('truncated.wav', async (t) =>
        writeFile(t, (await readFile(call)).subarray(0, 30_000)),
      ),
      code: 'E_AUDIO_CORRUPT',
      says: /truncated/,
    },
    {
      name: 'WAV cut inside its header',
      path: await cachedFile('cut-header.wav', async (t) =>
        writeFile(t, (await readFile(call)).subarray(0, 10)),
      ),
      code: 'E_AUDIO_CORRUPT',
      says: /truncated/,
    },
    {
      name: 'truncated MP4',
      path: await cachedFile('truncated.m4a', async (t) => {
        const whole = `${t}.whole.m4a`;
        await ffmpeg(['-i', call, '-c:a', 'aac', '-f', 'mp4', whole]);
        await writeFile(t, (await readFile(whole)).subarray(0, 8_000));
      }),
      code: 'E_AUDIO_CORRUPT',
      says: /corrupt|truncated/,
    },
    {
      name: 'corrupt FLAC',
      path: await cachedFile('corrupt.flac', async (t) => {
        const handle = await open(t, 'w');
        await handle.write(Buffer.concat([Buffer.from('fLaC'), Buffer.alloc(4000, 0x5a)]));
        await handle.close();
      }),
      code: 'E_AUDIO_CORRUPT',
      says: /corrupt|truncated/,
    },
    {
      name: 'ADPCM WAV',
      path: await cachedFile('adpcm.wav', (t) => ffmpeg(['-i', call, '-c:a', 'adpcm_ms', t])),
      code: 'E_AUDIO_UNSUPPORTED_ENCODING',
      says: /adpcm_ms/,
    },
    {
      name: '96 kHz WAV',
      path: await cachedFile('96k.wav', (t) => sox([call, '-r', '96000', t])),
      code: 'E_AUDIO_UNSUPPORTED_ENCODING',
      says: /96000 Hz/,
    },
    {
      name: 'mono',
      path: mono,
      code: 'E_AUDIO_MONO',
      says: /mono: each speaker must be on their own channel/,
    },
    {
      name: 'silent second channel',
      path: await stereo('silent-channel.wav', ['vol', '0']),
      code: 'E_AUDIO_SILENT_CHANNEL',
      says: /Channel 2 is silent/,
    },
    {
      name: 'noise but no speech on the second channel',
      path: await cachedFile('noise-channel.wav', async (t) => {
        const noise = `${t}.noise.wav`;
        await sox([
          '-n',
          '-r',
          '16000',
          '-c',
          '1',
          '-b',
          '16',
          noise,
          'synth',
          '2.79',
          'pinknoise',
          'vol',
          '0.03',
        ]);
        await sox(['-M', mono, noise, t]);
      }),
      code: 'E_AUDIO_SILENT_CHANNEL',
      says: /Channel 2 carries no speech/,
    },
    {
      name: 'same signal on both channels',
      path: await stereo('same.wav', []),
      code: 'E_AUDIO_SAME_SIGNAL',
      says: /same signal/,
    },
    {
      name: 'second channel a scaled copy',
      path: await stereo('scaled.wav', ['vol', '0.2']),
      code: 'E_AUDIO_SAME_SIGNAL',
      says: /same signal/,
    },
    {
      name: 'second channel a delayed, scaled copy',
      path: await stereo('delayed.wav', ['vol', '0.5', 'pad', '0.25', 'trim', '0', '2.79']),
      code: 'E_AUDIO_SAME_SIGNAL',
      says: /delayed by about/,
    },
  ];
}
