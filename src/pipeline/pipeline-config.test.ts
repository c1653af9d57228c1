import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';

describe('pipeline settings', () => {
  it('defaults', () => {
    expect(loadConfig({}).pipeline).toEqual({
      concurrency: 1,
      attempts: 4,
      backoffMs: 5000,
      lockMs: 30_000,
      queuePrefix: 'callscribe',
      recordingMaxBytes: 512 * 1024 * 1024,
      endpointTimeoutMs: 10_000,
      downloadTimeoutMs: 300_000,
    });
  });

  it('reads every variable', () => {
    const pipeline = loadConfig({
      REDIS_URL: 'redis://127.0.0.1:6379',
      CALLSCRIBE_TRANSCRIPTION_CONCURRENCY: '0',
      CALLSCRIBE_JOB_ATTEMPTS: '2',
      CALLSCRIBE_JOB_BACKOFF_MS: '100',
      CALLSCRIBE_JOB_LOCK_MS: '2000',
      CALLSCRIBE_QUEUE_PREFIX: 'e2e-1',
      CALLSCRIBE_RECORDING_MAX_MB: '1',
      CALLSCRIBE_RECORDING_ENDPOINT_TIMEOUT_MS: '800',
      CALLSCRIBE_RECORDING_DOWNLOAD_TIMEOUT_MS: '900',
    }).pipeline;
    expect(pipeline).toEqual({
      concurrency: 0,
      attempts: 2,
      backoffMs: 100,
      lockMs: 2000,
      queuePrefix: 'e2e-1',
      recordingMaxBytes: 1024 * 1024,
      endpointTimeoutMs: 800,
      downloadTimeoutMs: 900,
    });
  });

  it.each([
    [
      { CALLSCRIBE_TRANSCRIPTION_CONCURRENCY: '0' },
      'CALLSCRIBE_TRANSCRIPTION_CONCURRENCY=0 needs REDIS_URL: with the in-process queue no other process could take the jobs.',
    ],
    [
      { CALLSCRIBE_JOB_ATTEMPTS: 'many' },
      'CALLSCRIBE_JOB_ATTEMPTS must be a whole number greater than 0, not "many".',
    ],
    [
      { CALLSCRIBE_QUEUE_PREFIX: 'a:b' },
      `CALLSCRIBE_QUEUE_PREFIX must be 1-64 letters, digits, '.', '_' or '-', not "a:b".`,
    ],
  ])('refuses %o with one sentence naming the setting', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
