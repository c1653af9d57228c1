/**
 * The in-process job queue: the embedded default. A real adapter — dedup by job id, concurrency,
 * retries with exponential backoff, permanent failures — kept in memory, so jobs do not survive a
 * restart (the pipeline re-enqueues unfinished calls from the database at start-up).
 */
import {
  type FailedJob,
  isPermanentJobError,
  type JobHandler,
  type JobQueue,
  type JobQueueOptions,
  type JobState,
} from '../../core/ports/job-queue.js';

interface Entry<T> {
  data: T;
  state: JobState;
  attempt: number;
  timer?: NodeJS.Timeout;
}

/** Finished jobs remembered for dedup; the oldest are forgotten beyond this. */
const REMEMBERED_FINISHED = 10_000;

export class MemoryQueue<T> implements JobQueue<T> {
  readonly kind = 'memory';
  readonly distributed = false;
  private readonly jobs = new Map<string, Entry<T>>();
  private readonly waiting: string[] = [];
  private readonly finished: string[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly failedListeners: ((failed: FailedJob<T>) => void)[] = [];
  private readonly attempts: number;
  private readonly backoffMs: number;
  private handler: JobHandler<T> | undefined;
  private concurrency = 1;
  private closed = false;

  constructor(options: JobQueueOptions = {}) {
    this.attempts = Math.max(1, options.attempts ?? 4);
    this.backoffMs = Math.max(0, options.backoffMs ?? 2000);
  }

  async add(jobId: string, data: T): Promise<{ added: boolean }> {
    if (jobId.includes(':')) throw new Error(`Job ids must not contain ":" (${jobId}).`);
    if (this.closed) throw new Error('The queue is closed.');
    if (this.jobs.has(jobId)) return { added: false };
    this.jobs.set(jobId, { data, state: 'waiting', attempt: 0 });
    this.waiting.push(jobId);
    this.pump();
    return { added: true };
  }

  async process(handler: JobHandler<T>, options: { concurrency?: number } = {}): Promise<void> {
    if (this.handler) throw new Error('process() was already called on this queue.');
    this.handler = handler;
    this.concurrency = Math.max(1, options.concurrency ?? 1);
    this.pump();
  }

  async getState(jobId: string): Promise<JobState> {
    return this.jobs.get(jobId)?.state ?? 'unknown';
  }

  async remove(jobId: string): Promise<void> {
    const entry = this.jobs.get(jobId);
    if (!entry || entry.state === 'active') return;
    clearTimeout(entry.timer);
    this.jobs.delete(jobId);
    const index = this.waiting.indexOf(jobId);
    if (index >= 0) this.waiting.splice(index, 1);
  }

  onFailed(listener: (failed: FailedJob<T>) => void): void {
    this.failedListeners.push(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const entry of this.jobs.values()) clearTimeout(entry.timer);
    await Promise.allSettled([...this.running]);
  }

  private pump(): void {
    const handler = this.handler;
    if (!handler) return;
    while (!this.closed && this.running.size < this.concurrency && this.waiting.length > 0) {
      const id = this.waiting.shift()!;
      const entry = this.jobs.get(id);
      if (entry?.state !== 'waiting') continue;
      const run = this.run(id, entry, handler).finally(() => {
        this.running.delete(run);
        this.pump();
      });
      this.running.add(run);
    }
  }

  private async run(id: string, entry: Entry<T>, handler: JobHandler<T>): Promise<void> {
    entry.state = 'active';
    entry.attempt += 1;
    try {
      // Always yield first so a handler never runs inside the caller's add().
      await Promise.resolve();
      await handler({ id, data: entry.data, attempt: entry.attempt, maxAttempts: this.attempts });
      this.finish(id, entry, 'completed');
    } catch (error) {
      // Closing mid-run leaves the job as it was: an in-process queue forgets it with the process.
      if (this.closed) return;
      if (isPermanentJobError(error) || entry.attempt >= this.attempts) {
        this.finish(id, entry, 'failed');
        const reason = error instanceof Error ? error.message : String(error);
        for (const listener of this.failedListeners) {
          listener({ id, data: entry.data, reason, attempts: entry.attempt });
        }
        return;
      }
      entry.state = 'delayed';
      entry.timer = setTimeout(
        () => {
          entry.timer = undefined;
          if (this.jobs.get(id) !== entry || this.closed) return;
          entry.state = 'waiting';
          this.waiting.push(id);
          this.pump();
        },
        this.backoffMs * 2 ** (entry.attempt - 1),
      );
    }
  }

  private finish(id: string, entry: Entry<T>, state: 'completed' | 'failed'): void {
    entry.state = state;
    this.finished.push(id);
    while (this.finished.length > REMEMBERED_FINISHED) {
      const old = this.finished.shift()!;
      const oldEntry = this.jobs.get(old);
      if (oldEntry && (oldEntry.state === 'completed' || oldEntry.state === 'failed')) this.jobs.delete(old);
    }
  }
}

/** Creates the in-process queue. */
export function createMemoryQueue<T>(options: JobQueueOptions = {}): JobQueue<T> {
  return new MemoryQueue<T>(options);
}
