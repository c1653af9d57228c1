/**
 * The job queue port: durable-enough background work with deduplication by job id, retries with
 * exponential backoff, and a signal for failures that must not be retried. Two adapters keep the
 * same contract (test/contracts/job-queue.contract.ts): an in-process queue (the embedded default)
 * and BullMQ on Redis (many `callscribe worker` processes).
 *
 * Delivery is at least once: a handler may run again for the same job after a crash (BullMQ
 * stalled-job recovery), so handlers must be idempotent.
 */

/** Thrown by a handler to fail the job at once, without the remaining attempts (bullmq's `UnrecoverableError`). */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}

/** True for a {@link PermanentJobError}, also across module copies (checked by name). */
export function isPermanentJobError(error: unknown): boolean {
  return (
    error instanceof Error && (error.name === 'PermanentJobError' || error.name === 'UnrecoverableError')
  );
}

/** What a handler receives. */
export interface Job<T> {
  /** The job id given to `add` (the dedup key). */
  id: string;
  data: T;
  /** 1 for the first run, 2 for the first retry, … */
  attempt: number;
  /** The most runs this job gets (`attempts` of the queue). */
  maxAttempts: number;
}

export type JobHandler<T> = (job: Job<T>) => Promise<void>;

/** Where a job is. `unknown` = never added, or removed after it finished. */
export type JobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed' | 'unknown';

/** A job that failed for good: its id and the last error's message. */
export interface FailedJob<T = unknown> {
  id: string;
  /** The job's data, when the backend still has it. */
  data: T | undefined;
  reason: string;
  attempts: number;
}

export interface JobQueueOptions {
  /** Runs per job including the first. Default 4. */
  attempts?: number;
  /** Delay before the first retry in ms; doubles each retry (exponential backoff). Default 2000. */
  backoffMs?: number;
  /**
   * Distributed backends: how long a worker's claim on a running job lasts without renewal. A
   * worker that dies (SIGKILL) loses its jobs to another worker after about this long. Default 30000.
   */
  lockDurationMs?: number;
}

export interface JobQueue<T> {
  /** `memory` (in process) or `redis` (BullMQ). */
  readonly kind: 'memory' | 'redis';
  /** True when other processes may take jobs (workers on other machines). */
  readonly distributed: boolean;
  /**
   * Adds a job under `jobId`. If a job with that id is already waiting, delayed, active, or
   * finished and still remembered, nothing is added and `added` is false — a trigger that fires
   * twice enqueues once. Job ids must not contain `:` (BullMQ reserves it).
   */
  add(jobId: string, data: T): Promise<{ added: boolean }>;
  /**
   * Starts taking jobs with `handler`, at most `concurrency` at once (default 1). A handler that
   * throws is retried with backoff until `attempts` runs; a {@link PermanentJobError} ends it at once.
   * Call at most once per queue object.
   */
  process(handler: JobHandler<T>, options?: { concurrency?: number }): Promise<void>;
  /** The state of a job, for status pages and tests. */
  getState(jobId: string): Promise<JobState>;
  /** Forgets a finished job so its id can be added again (a user-requested re-run). No-op for unknown ids. */
  remove(jobId: string): Promise<void>;
  /** Called once per job that failed for good (attempts exhausted or permanent). */
  onFailed(listener: (failed: FailedJob<T>) => void): void;
  /** Stops taking jobs, waits for running handlers to finish, releases connections. */
  close(): Promise<void>;
}
