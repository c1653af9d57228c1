/**
 * Child-process entry of the analysis pass: the VAD's ONNX inference and the level measurements
 * are CPU work that must not block the parent's event loop (a BullMQ worker must keep renewing
 * its job lock), so each channel is analysed in its own process. One request in, one result out.
 */
import { AppError } from '../../core/errors.js';
import { type AnalyseChannelOptions, analyseChannel } from './channel-analysis.js';

type Request = Omit<AnalyseChannelOptions, 'signal' | 'onProgress'>;

function send(message: unknown): Promise<void> {
  return new Promise((resolve) => process.send!(message, () => resolve()));
}

// A parent that dies (even by SIGKILL) closes the IPC channel: stop decoding then.
process.once('disconnect', () => process.exit(0));

process.once('message', (request: Request) => {
  analyseChannel({ ...request, onProgress: (samples) => void send({ type: 'progress', samples }) })
    .then((result) => send({ type: 'result', result }))
    .catch((error: unknown) =>
      send({
        type: 'error',
        code: error instanceof AppError ? error.code : undefined,
        message: error instanceof Error ? error.message : String(error),
      }),
    )
    .finally(() => process.exit(0));
});
