/** The `callscribe` command line: one file per verb in commands/. */
import { Command } from 'commander';
import { createCliContext } from './cli-context.js';
import { registerApp } from './commands/app.js';
import { registerOwners } from './commands/owners.js';
import { registerServe } from './commands/serve.js';
import { registerToken } from './commands/token.js';
import { registerTranscribe } from './commands/transcribe.js';
import { registerWorker } from './commands/worker.js';

export function buildProgram(argv: readonly string[]): Command {
  const ctx = createCliContext(argv);
  const program = new Command('callscribe')
    .description('Phone-call recordings and transcripts: HubSpot-compatible CRM, app backend, transcription.')
    .option('--debug', 'print the full cause chain of a failure')
    .showHelpAfterError();
  registerServe(program, ctx);
  registerToken(program, ctx);
  registerOwners(program, ctx);
  registerApp(program, ctx);
  registerTranscribe(program, ctx);
  registerWorker(program, ctx);
  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  await buildProgram(argv).parseAsync(argv as string[]);
}
