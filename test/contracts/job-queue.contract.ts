/** The contract every JobQueue adapter keeps. Called once per adapter by its test file. */
import { afterEach, describe, expect, it } from 'vitest';
import { type FailedJob, type JobQueue, PermanentJobError } from '../../src/core/ports/job-queue.js';

export interface JobQueueTarget {
  name: string;
  /** A fresh, empty queue (its own namespace) with the given retry settings. */
  create(options: { attempts: number; backoffMs: number }): Promise<JobQueue<{ n: number }>>;
  /** Removes whatever the queue left behind (Redis keys). */
  cleanup?(): Promise<void>;
}

/** Polls until `check` is true; the test's own timeout bounds it. */
export async function waitFor(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 10));
}

export function runJobQueueContract(target: JobQueueTarget): void {
  describe(`JobQueue contract: ${target.name}`, () => {
    const open: JobQueue<{ n: number }>[] = [];
    const create = async (attempts = 3, backoffMs = 10) => {
      const queue = await target.create({ attempts, backoffMs });
      open.push(queue);
      return queue;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((q) => q.close()));
      await target.cleanup?.();
    });

    it('runs an added job once with its data and id; the job ends completed', async () => {
      const queue = await create();
      const seen: { id: string; n: number; attempt: number; max: number }[] = [];
      await queue.process(async (job) => {
        seen.push({ id: job.id, n: job.data.n, attempt: job.attempt, max: job.maxAttempts });
      });
      expect(await queue.add('job-1', { n: 7 })).toEqual({ added: true });
      await waitFor(async () => (await queue.getState('job-1')) === 'completed');
      expect(seen).toEqual([{ id: 'job-1', n: 7, attempt: 1, max: 3 }]);
      expect(await queue.getState('never-added')).toBe('unknown');
    });

    it('deduplicates by job id: waiting, running or finished, a second add is a no-op', async () => {
      const queue = await create();
      const runs: number[] = [];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      expect(await queue.add('call-1', { n: 1 })).toEqual({ added: true });
      expect(await queue.add('call-1', { n: 2 })).toEqual({ added: false }); // waiting
      await queue.process(async (job) => {
        runs.push(job.data.n);
        await gate;
      });
      await waitFor(async () => (await queue.getState('call-1')) === 'active');
      expect(await queue.add('call-1', { n: 3 })).toEqual({ added: false }); // running
      release();
      await waitFor(async () => (await queue.getState('call-1')) === 'completed');
      expect(await queue.add('call-1', { n: 4 })).toEqual({ added: false }); // finished
      expect(runs).toEqual([1]);
    });

    it('retries a failing job with backoff until it succeeds', async () => {
      const queue = await create(4, 20);
      const attempts: number[] = [];
      await queue.process(async (job) => {
        attempts.push(job.attempt);
        if (job.attempt < 3) throw new Error(`endpoint down (${job.attempt})`);
      });
      await queue.add('flaky', { n: 1 });
      await waitFor(async () => (await queue.getState('flaky')) === 'completed');
      expect(attempts).toEqual([1, 2, 3]);
    });

    it('a job that keeps failing stops after its attempts and reports the last reason once', async () => {
      const queue = await create(3, 5);
      const failures: FailedJob<{ n: number }>[] = [];
      queue.onFailed((failed) => failures.push(failed));
      let runs = 0;
      await queue.process(async (job) => {
        runs += 1;
        throw new Error(`5xx on attempt ${job.attempt}`);
      });
      await queue.add('doomed', { n: 9 });
      await waitFor(() => failures.length === 1);
      expect(await queue.getState('doomed')).toBe('failed');
      expect(runs).toBe(3);
      expect(failures).toEqual([{ id: 'doomed', data: { n: 9 }, reason: '5xx on attempt 3', attempts: 3 }]);
    });

    it('a PermanentJobError fails the job at once, without retries', async () => {
      const queue = await create(5, 5);
      const failures: FailedJob<{ n: number }>[] = [];
      queue.onFailed((failed) => failures.push(failed));
      let runs = 0;
      await queue.process(async () => {
        runs += 1;
        throw new PermanentJobError('recording is mono');
      });
      await queue.add('mono', { n: 1 });
      await waitFor(() => failures.length === 1);
      expect(runs).toBe(1);
      expect(failures[0]).toMatchObject({ id: 'mono', reason: 'recording is mono', attempts: 1 });
      expect(await queue.getState('mono')).toBe('failed');
    });

    it('runs up to `concurrency` jobs at the same time', async () => {
      const queue = await create();
      let running = 0;
      let peak = 0;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      await queue.process(
        async () => {
          running += 1;
          peak = Math.max(peak, running);
          await gate;
          running -= 1;
        },
        { concurrency: 2 },
      );
      for (const id of ['c-1', 'c-2', 'c-3']) await queue.add(id, { n: 0 });
      await waitFor(() => peak === 2);
      release();
      await waitFor(async () => (await queue.getState('c-3')) === 'completed');
      expect(peak).toBe(2);
    });

    it('remove() forgets a finished job, so the same id can run again', async () => {
      const queue = await create();
      const runs: number[] = [];
      await queue.process(async (job) => {
        runs.push(job.data.n);
      });
      await queue.add('again', { n: 1 });
      await waitFor(async () => (await queue.getState('again')) === 'completed');
      await queue.remove('again');
      expect(await queue.getState('again')).toBe('unknown');
      expect(await queue.add('again', { n: 2 })).toEqual({ added: true });
      await waitFor(() => runs.length === 2);
      expect(runs).toEqual([1, 2]);
    });

    it('close() waits for a running handler to finish', async () => {
      const queue = await create();
      let finished = false;
      let started = false;
      await queue.process(async () => {
        started = true;
        await new Promise((resolve) => setTimeout(resolve, 50));
        finished = true;
      });
      await queue.add('slow', { n: 1 });
      await waitFor(() => started);
      open.splice(open.indexOf(queue), 1);
      await queue.close();
      expect(finished).toBe(true);
    });

    it('refuses job ids with ":"', async () => {
      const queue = await create();
      await expect(queue.add('call:1', { n: 1 })).rejects.toThrow(/must not contain/);
    });
  });
}
