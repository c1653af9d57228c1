/** Runs {@link analyseChannel} in a child process (see analysis-child.ts) and returns its result. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AppError, type ErrorCode } from '../../core/errors.js';
import type { AnalyseChannelOptions, ChannelAnalysis } from './channel-analysis.js';

type ChildMessage =
  | { type: 'progress'; samples: number }
  | { type: 'result'; result: ChannelAnalysis }
  | { type: 'error'; code?: ErrorCode; message: string };

/** The child's entry beside this module: compiled `.js` in dist, `.ts` under tsx/vitest. */
function childEntry(): { file: string; execArgv: string[] } {
  const self = import.meta.url;
  if (self.endsWith('.ts')) {
    return { file: fileURLToPath(new URL('./analysis-child.ts', self)), execArgv: ['--import', 'tsx'] };
  }
  return { file: fileURLToPath(new URL('./analysis-child.js', self)), execArgv: [] };
}

export function analyseChannelInChild(options: AnalyseChannelOptions): Promise<ChannelAnalysis> {
  options.signal?.throwIfAborted();
  const { file, execArgv } = childEntry();
  const child = fork(file, [], {
    execArgv,
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => {
    if (stderr.length < 4096) stderr += d;
  });
  return new Promise<ChannelAnalysis>((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | undefined, result?: ChannelAnalysis) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      if (child.exitCode === null) child.kill('SIGKILL');
      if (error) reject(error);
      else resolve(result!);
    };
    const onAbort = () =>
      finish(options.signal!.reason instanceof Error ? options.signal!.reason : new Error('aborted'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'progress') options.onProgress?.(message.samples);
      else if (message.type === 'result') finish(undefined, message.result);
      else
        finish(
          message.code
            ? new AppError(message.code, message.message)
            : new AppError('E_INTERNAL', message.message),
        );
    });
    child.once('error', (error) => finish(error));
    child.once('exit', (code) =>
      finish(
        new AppError(
          'E_INTERNAL',
          `The audio analysis process stopped (exit ${code}): ${stderr.trim().slice(-500)}`,
        ),
      ),
    );
    child.send({ path: options.path, channel: options.channel, sampleRate: options.sampleRate });
  });
}
