/**
 * The child process that transcribes one recording, so decoding and recognition never block the
 * event loop of the process that holds the job's lock (a blocked BullMQ worker loses its lock and
 * the job runs twice). Started by transcribe-in-child.ts; exits when its parent goes away.
 */
import { loadConfig } from '../config.js';
import { AppError } from '../core/errors.js';
import type { Speaker } from '../core/transcript.js';

export interface ChildRequest {
  path: string;
  speakers: Speaker[];
  language: string;
}

export type ChildReply =
  | { ok: true; transcript: unknown }
  | { ok: false; error: { code?: string; message: string } }
  | { progress: number };

function send(message: ChildReply): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, undefined, () => resolve());
  });
}

async function run(request: ChildRequest): Promise<void> {
  const { createDefaultRecognizer, transcribeFile } = await import('../audio/index.js');
  const recognizer = createDefaultRecognizer(loadConfig());
  try {
    const transcript = await transcribeFile(request.path, {
      recognizer,
      language: request.language,
      speakers: request.speakers,
      onProgress: (p) => void send({ progress: p.fraction }),
    });
    await send({ ok: true, transcript });
  } catch (error) {
    const code = error instanceof AppError ? error.code : undefined;
    await send({
      ok: false,
      error: { ...(code ? { code } : {}), message: (error as Error)?.message ?? String(error) },
    });
  } finally {
    await recognizer.close().catch(() => undefined);
  }
}

// A parent killed with SIGKILL cannot stop us; its closed IPC channel can.
process.on('disconnect', () => process.exit(0));
process.once('message', (request: ChildRequest) => {
  run(request).finally(() => process.exit(0));
});
