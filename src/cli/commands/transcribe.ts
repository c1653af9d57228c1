import { access } from 'node:fs/promises';
import type { Command } from 'commander';
import { AppError, invalid } from '../../core/errors.js';
import type { CliContext } from '../cli-context.js';

interface TranscribeCliOptions {
  format: string;
  language: string;
  speakers?: string;
  progress?: boolean;
}

/**
 * `callscribe transcribe <file>`: a two-channel call recording in, its transcript on stdout. A
 * refusal prints one sentence on stderr, nothing on stdout, and exits with the code of its reason
 * (docs/errors.md).
 */
export async function transcribeCommand(
  ctx: CliContext,
  file: string,
  options: TranscribeCliOptions,
): Promise<void> {
  const { TRANSCRIPT_FORMATS, createDefaultRecognizer, renderTranscript, transcribeFile } = await import(
    '../../audio/index.js'
  );
  const format = options.format as (typeof TRANSCRIPT_FORMATS)[number];
  if (!TRANSCRIPT_FORMATS.includes(format)) {
    throw invalid(
      `--format must be one of ${TRANSCRIPT_FORMATS.join(', ')}, not "${options.format}".`,
      'format',
    );
  }
  try {
    await access(file);
  } catch {
    throw new AppError('E_NOT_FOUND', `There is no readable file at ${file}.`);
  }
  const speakers = options.speakers
    ?.split(',')
    .map((name, i) => ({ id: `speaker-${i + 1}`, name: name.trim() }));
  const recognizer = createDefaultRecognizer(ctx.config());
  try {
    const transcript = await transcribeFile(file, {
      recognizer,
      language: options.language,
      speakers,
      onProgress: options.progress
        ? (p) => process.stderr.write(`${p.stage} ${Math.round(p.fraction * 100)}%\n`)
        : undefined,
    });
    process.stdout.write(renderTranscript(transcript, format));
  } finally {
    await recognizer.close();
  }
}

export function registerTranscribe(program: Command, ctx: CliContext): void {
  program
    .command('transcribe <file>')
    .description(
      'transcribe a call recording (WAV, FLAC or MP4; one speaker per channel, channel 1 the caller) to stdout',
    )
    .option('--format <format>', 'json, vtt (WebVTT with voice tags), srt or text', 'json')
    .option('--language <bcp47>', 'spoken language', 'en-US')
    .option('--speakers <names>', 'speaker names by channel, comma-separated (default: Caller,Recipient)')
    .option('--progress', 'report progress on stderr')
    .action((file: string, options: TranscribeCliOptions) =>
      ctx.run(() => transcribeCommand(ctx, file, options)),
    );
}
