/**
 * The queue's facade: picks the backend from config. `REDIS_URL` set → BullMQ on Redis (shared by
 * `callscribe worker` processes); unset → the in-process queue.
 */
import type { JobQueue, JobQueueOptions } from '../core/ports/job-queue.js';
import { createMemoryQueue } from './backends/memory-queue.js';

export type {
  FailedJob,
  Job,
  JobHandler,
  JobQueue,
  JobQueueOptions,
  JobState,
} from '../core/ports/job-queue.js';
export { isPermanentJobError, PermanentJobError } from '../core/ports/job-queue.js';
export { createMemoryQueue } from './backends/memory-queue.js';

export interface OpenJobQueueOptions extends JobQueueOptions {
  redisUrl: string | undefined;
  /** Queue name (Redis only). Default `transcription`. */
  name?: string;
  /** Redis key prefix. Default `callscribe`. */
  prefix?: string;
}

/** Opens the queue the configuration asks for. */
export async function openJobQueue<T>(options: OpenJobQueueOptions): Promise<JobQueue<T>> {
  if (!options.redisUrl) return createMemoryQueue<T>(options);
  const { createRedisQueue } = await import('./backends/redis-queue.js');
  return createRedisQueue<T>({ ...options, url: options.redisUrl });
}
