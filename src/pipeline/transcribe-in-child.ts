/** Runs the audio engine on one file in a child process (transcribe-child.ts) and returns its transcript. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AppError, ERROR_CATALOG, type ErrorCode } from '../core/errors.js';
import type { Speaker, Transcript } from '../core/transcript.js';
import type { ChildReply, ChildRequest } from './transcribe-child.js';

export interface TranscribeRequest {
  path: string;
  speakers: Speaker[];
  language?: string;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/** Transcribes a file; the function the pipeline is given by default. */
export type Transcriber = (request: TranscribeRequest) => Promise<Transcript>;

const here = import.meta.url;
// Under tsx/vitest this module is TypeScript; the child then needs the same loader.
const childFile = fileURLToPath(
  new URL(here.endsWith('.ts') ? './transcribe-child.ts' : './transcribe-child.js', here),
);
const execArgv = here.endsWith('.ts') ? ['--import', 'tsx'] : [];

export const transcribeInChild: Transcriber = (request) =>
  new Promise((resolve, reject) => {
    const child = fork(childFile, [], { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    let settled = false;
    child.stderr?.on('data', (d) => {
      if (stderr.length < 4000) stderr += d;
    });
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      request.signal?.removeEventListener('abort', abort);
      fn();
    };
    const abort = () => {
      child.kill('SIGKILL');
      finish(() => reject(new AppError('E_INTERNAL', 'Transcription was cancelled.')));
    };
    request.signal?.addEventListener('abort', abort, { once: true });
    child.on('message', (reply: ChildReply) => {
      if ('progress' in reply) return request.onProgress?.(reply.progress);
      if (reply.ok) return finish(() => resolve(reply.transcript as Transcript));
      const code =
        reply.error.code && reply.error.code in ERROR_CATALOG
          ? (reply.error.code as ErrorCode)
          : 'E_ASR_FAILED';
      finish(() => reject(new AppError(code, reply.error.message)));
    });
    child.on('error', (error) =>
      finish(() =>
        reject(
          new AppError('E_ASR_FAILED', `The transcription process failed: ${error.message}`, {
            cause: error,
          }),
        ),
      ),
    );
    child.on('exit', (code, signal) => {
      finish(() =>
        reject(
          new AppError(
            'E_ASR_FAILED',
            `The transcription process ended (${signal ?? `exit ${code}`}) without a transcript. ${stderr.trim().slice(-500)}`.trim(),
          ),
        ),
      );
    });
    const message: ChildRequest = {
      path: request.path,
      speakers: request.speakers,
      language: request.language ?? 'en-US',
    };
    child.send(message);
  });
