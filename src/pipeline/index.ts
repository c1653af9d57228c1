/**
 * The pipeline folder's public face: build the transcription pipeline from config (queue backend,
 * fetch limits, the child-process transcriber), subscribe it to CRM events, mount its routes.
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { AppError } from '../core/errors.js';
import type { TokenStore } from '../crm/auth/token-store.js';
import type { CrmEvents } from '../crm/crm-events.js';
import { openJobQueue } from '../queue/index.js';
import type { Queryable } from '../storage/db/index.js';
import { addressPolicyFor } from './address-policy.js';
import type { PipelineCrm } from './pipeline-crm.js';
import { type Transcriber, transcribeInChild } from './transcribe-in-child.js';
import type { TranscriptionJobData } from './transcription-job.js';
import {
  createTranscriptionPipeline,
  isAutoTranscribed,
  type TranscriptionPipeline,
} from './transcription-pipeline.js';
import { registerTranscriptionRoutes } from './transcription-routes.js';
import { createTranscriptionStatusStore } from './transcription-status-store.js';

export { createPipelineCrm, type PipelineCrm, type PipelineCrmStores } from './pipeline-crm.js';
export { NO_SEAT_REASON } from './transcription-job.js';
export type { TranscriptionPipeline, TranscriptionView } from './transcription-pipeline.js';
export type { TranscriptionState, TranscriptionStatus } from './transcription-status-store.js';

export interface OpenPipelineDeps {
  db: Queryable;
  crm: PipelineCrm;
  /** Replaces the child-process transcriber (benchmarks measure with the real one). */
  transcribe?: Transcriber;
  onError?: (error: unknown, context: string) => void;
}

export interface PipelineRuntime {
  pipeline: TranscriptionPipeline;
  /** Starts taking jobs in this process (`concurrency` 0: enqueue only) and re-enqueues unfinished runs. */
  start(concurrency: number): Promise<void>;
  close(): Promise<void>;
}

/** Builds the pipeline from config: BullMQ when `REDIS_URL` is set, the in-process queue otherwise. */
export async function openTranscriptionPipeline(
  config: Config,
  deps: OpenPipelineDeps,
): Promise<PipelineRuntime> {
  const settings = config.pipeline;
  const queue = await openJobQueue<TranscriptionJobData>({
    redisUrl: config.redisUrl,
    attempts: settings.attempts,
    backoffMs: settings.backoffMs,
    lockDurationMs: settings.lockMs,
    prefix: settings.queuePrefix,
  });
  const pipeline = createTranscriptionPipeline({
    crm: deps.crm,
    status: createTranscriptionStatusStore(deps.db),
    queue,
    transcribe: deps.transcribe ?? transcribeInChild,
    fetch: {
      policy: addressPolicyFor(config.devMode),
      maxBytes: settings.recordingMaxBytes,
      endpointTimeoutMs: settings.endpointTimeoutMs,
      downloadTimeoutMs: settings.downloadTimeoutMs,
      maxRedirects: 5,
      directory: path.join(config.dataDir, 'tmp', 'recordings'),
    },
    clientSecret: config.appBackend.clientSecret,
    backoffMs: settings.backoffMs,
    attempts: settings.attempts,
    onError: deps.onError,
  });
  let started = false;
  return {
    pipeline,
    async start(concurrency) {
      if (concurrency <= 0 && !queue.distributed) {
        throw new AppError(
          'E_VALIDATION',
          'CALLSCRIBE_TRANSCRIPTION_CONCURRENCY=0 needs REDIS_URL: with the in-process queue no other process could take the jobs.',
        );
      }
      if (started) return;
      started = true;
      await pipeline.start(concurrency);
      await pipeline.recover();
    },
    close: () => queue.close(),
  };
}

/** Properties whose change can make a call transcribable. */
const SOURCE_PROPERTIES = new Set([
  'hs_call_source',
  'hs_call_external_id',
  'hs_call_external_account_id',
  'hs_call_app_id',
  'hs_call_recording_url',
]);

/**
 * Triggers: a call logged by an app with its recording (INTEGRATIONS_PLATFORM + external ids, or
 * a legacy `hs_call_recording_url`), an update that gives a call those, and mark-ready.
 * Returns a function that unsubscribes.
 */
export function subscribeToCrmEvents(
  events: CrmEvents,
  pipeline: TranscriptionPipeline,
  onError: (error: unknown, context: string) => void = () => undefined,
): () => void {
  const guard = (context: string, work: () => Promise<unknown>) => {
    work().catch((error) => onError(error, context));
  };
  const offs = [
    events.on('call.created', ({ call }) => {
      if (isAutoTranscribed(call)) guard('call.created', () => pipeline.request(call.id, 'call-created'));
    }),
    events.on('call.updated', ({ call, changed }) => {
      if (changed.some((p) => SOURCE_PROPERTIES.has(p)) && isAutoTranscribed(call)) {
        guard('call.updated', () => pipeline.request(call.id, 'call-updated'));
      }
    }),
    events.on('recording.ready', ({ callId }) =>
      guard('recording.ready', () => pipeline.recordingReady(callId)),
    ),
  ];
  return () => {
    for (const off of offs) off();
  };
}

/** Mounts `/callscribe/v1/calls/{callId}/transcription…`. */
export function registerPipelineRoutes(
  app: FastifyInstance,
  deps: { pipeline: TranscriptionPipeline; tokens: TokenStore },
) {
  registerTranscriptionRoutes(app, deps);
}
