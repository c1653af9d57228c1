/**
 * The distributed job queue: BullMQ on Redis. Any number of processes (`callscribe serve`,
 * `callscribe worker`) share one queue; a worker that dies mid-job loses its lock and BullMQ's
 * stalled-job check hands the job to another worker. bullmq is imported lazily, so the embedded
 * default never loads it.
 */
import { randomUUID } from 'node:crypto';
import type { Job as BullJob, Queue, Worker } from 'bullmq';
import {
  type FailedJob,
  isPermanentJobError,
  type JobHandler,
  type JobQueue,
  type JobQueueOptions,
  type JobState,
} from '../../core/ports/job-queue.js';

export interface RedisQueueOptions extends JobQueueOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…`. */
  url: string;
  /** The queue's name. Default `transcription`. */
  name?: string;
  /** Key prefix in Redis (BullMQ `prefix`); tests use a unique one per file. Default `callscribe`. */
  prefix?: string;
}

/** The envelope stored in Redis: the token tells a fresh add from a duplicate one. */
interface Envelope<T> {
  payload: T;
  token: string;
}

/** ioredis options from a URL; BullMQ workers need `maxRetriesPerRequest: null`. */
export function redisConnectionOptions(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    db: Number(u.pathname.replace('/', '') || 0),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

const STATES: Record<string, JobState> = {
  waiting: 'waiting',
  'waiting-children': 'waiting',
  prioritized: 'waiting',
  delayed: 'delayed',
  active: 'active',
  completed: 'completed',
  failed: 'failed',
};

class RedisQueue<T> implements JobQueue<T> {
  readonly kind = 'redis';
  readonly distributed = true;
  private worker: Worker | undefined;
  private readonly failedListeners: ((failed: FailedJob<T>) => void)[] = [];

  constructor(
    private readonly bull: typeof import('bullmq'),
    private readonly queue: Queue,
    private readonly options: Required<Omit<RedisQueueOptions, 'url'>> & { url: string },
  ) {}

  async add(jobId: string, data: T): Promise<{ added: boolean }> {
    if (jobId.includes(':')) throw new Error(`Job ids must not contain ":" (${jobId}).`);
    const token = randomUUID();
    await this.queue.add('job', { payload: data, token } satisfies Envelope<T>, {
      jobId,
      attempts: this.options.attempts,
      backoff: { type: 'exponential', delay: this.options.backoffMs },
      // Finished jobs are remembered a day, so a trigger that fires again within it is a no-op.
      removeOnComplete: { age: 24 * 3600, count: 100_000 },
      removeOnFail: { age: 7 * 24 * 3600, count: 100_000 },
    });
    // BullMQ answers a duplicate id with the existing job id; our token says whose job it is.
    const stored = await this.queue.getJob(jobId);
    return { added: !stored || (stored.data as Envelope<T>).token === token };
  }

  async process(handler: JobHandler<T>, options: { concurrency?: number } = {}): Promise<void> {
    if (this.worker) throw new Error('process() was already called on this queue.');
    const { Worker, UnrecoverableError } = this.bull;
    this.worker = new Worker(
      this.queue.name,
      async (job: BullJob) => {
        try {
          await handler({
            id: job.id!,
            data: (job.data as Envelope<T>).payload,
            attempt: job.attemptsMade + 1,
            maxAttempts: job.opts.attempts ?? 1,
          });
        } catch (error) {
          if (isPermanentJobError(error)) throw new UnrecoverableError((error as Error).message);
          throw error;
        }
      },
      {
        connection: redisConnectionOptions(this.options.url),
        prefix: this.options.prefix,
        concurrency: Math.max(1, options.concurrency ?? 1),
        lockDuration: this.options.lockDurationMs,
        stalledInterval: Math.max(1000, Math.round(this.options.lockDurationMs / 2)),
        // A job whose worker died is retried; only a job that kills three workers fails.
        maxStalledCount: 2,
      },
    );
    this.worker.on('failed', (job, error) => {
      void this.reportIfFinal(job, error);
    });
    // Connection errors are retried by ioredis; an unhandled 'error' event would crash the process.
    this.worker.on('error', () => undefined);
    await this.worker.waitUntilReady();
  }

  private async reportIfFinal(job: BullJob | undefined, error: Error): Promise<void> {
    if (!job?.id) return;
    const state = await this.queue.getJobState(job.id).catch(() => 'unknown');
    if (state !== 'failed') return;
    const failed: FailedJob<T> = {
      id: job.id,
      data: (job.data as Envelope<T> | undefined)?.payload,
      reason: error.message,
      attempts: job.attemptsMade,
    };
    for (const listener of this.failedListeners) listener(failed);
  }

  async getState(jobId: string): Promise<JobState> {
    return STATES[await this.queue.getJobState(jobId)] ?? 'unknown';
  }

  async remove(jobId: string): Promise<void> {
    const state = await this.queue.getJobState(jobId);
    if (state === 'active' || state === 'unknown') return;
    await this.queue.remove(jobId);
  }

  onFailed(listener: (failed: FailedJob<T>) => void): void {
    this.failedListeners.push(listener);
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}

/** Connects to Redis and returns a BullMQ-backed queue (no worker until `process()`). */
export async function createRedisQueue<T>(options: RedisQueueOptions): Promise<JobQueue<T>> {
  const bull = await import('bullmq');
  const full = {
    url: options.url,
    name: options.name ?? 'transcription',
    prefix: options.prefix ?? 'callscribe',
    attempts: Math.max(1, options.attempts ?? 4),
    backoffMs: Math.max(0, options.backoffMs ?? 2000),
    lockDurationMs: Math.max(1000, options.lockDurationMs ?? 30_000),
  };
  const queue = new bull.Queue(full.name, {
    connection: redisConnectionOptions(full.url),
    prefix: full.prefix,
  });
  queue.on('error', () => undefined);
  await queue.waitUntilReady();
  return new RedisQueue<T>(bull, queue, full);
}
