/** What every CLI command shares: config loading, output, and one way to report failures. */
import { type Config, ConfigError, loadConfig } from '../config.js';
import { AppError } from '../core/errors.js';

export interface CliContext {
  config(): Config;
  out(line: string): void;
  /** Runs a command; a failure prints one sentence on stderr and sets a non-zero exit code. */
  run(fn: () => Promise<void>, options?: { keepAlive?: boolean }): Promise<void>;
}

function causeChain(error: unknown): string {
  const lines: string[] = [];
  let e: unknown = error;
  while (e) {
    lines.push(e instanceof Error ? (e.stack ?? e.message) : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return lines.join('\nCaused by: ');
}

/** The exit code and one-sentence message for any error the CLI meets. */
export function describeFailure(error: unknown): { exitCode: number; message: string } {
  if (error instanceof AppError) return { exitCode: error.exitCode, message: error.message };
  if (error instanceof ConfigError) return { exitCode: 2, message: error.message };
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED')
    return { exitCode: 7, message: `Could not connect: ${(error as Error).message}.` };
  if (code === 'EADDRINUSE')
    return { exitCode: 7, message: `The port is already in use: ${(error as Error).message}.` };
  return { exitCode: 1, message: `Unexpected failure: ${(error as Error)?.message ?? String(error)}` };
}

export function createCliContext(argv: readonly string[]): CliContext {
  let config: Config | undefined;
  const debug = argv.includes('--debug');
  return {
    config: () => {
      config ??= loadConfig();
      return config;
    },
    out: (line) => process.stdout.write(`${line}\n`),
    async run(fn, options = {}) {
      try {
        await fn();
        if (!options.keepAlive) process.exitCode = 0;
      } catch (error) {
        const { exitCode, message } = describeFailure(error);
        process.stderr.write(`callscribe: ${message}\n`);
        if (debug) process.stderr.write(`${causeChain(error)}\n`);
        process.exitCode = exitCode;
      }
    },
  };
}

/**
 * Runs `cleanup` once on SIGINT or SIGTERM, then exits 0: the shutdown every long-running
 * command (`serve`, `worker`) shares.
 */
export function exitOnSignal(cleanup: () => Promise<void>): void {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await cleanup();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
