/**
 * Issue 7 on many processes: `callscribe serve` only enqueues (BullMQ on the running Redis,
 * PostgreSQL shared), two `callscribe worker` processes take the jobs, and one is killed with
 * SIGKILL in the middle of a job. Every call must still be transcribed, exactly once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../src/storage/db/postgres-database.js';
import { CLI, callscribe, type RunningServer, startServer } from '../support/cli.js';
import { TEST_POSTGRES_URL } from '../support/databases.js';
import { deleteRedisPrefix, TEST_REDIS_URL } from '../support/redis.js';
import { openSession, platformCall, type Session, shortCallWav } from './pipeline-helpers.js';

const APP_ID = '778001';
const ACCOUNT = 'acct-workers';
const CALLS = 3;

interface Worker {
  process: ChildProcess;
  output(): string;
}

function startWorker(env: NodeJS.ProcessEnv): Promise<Worker> {
  const child = spawn(process.execPath, [CLI, 'worker'], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', () => {
      if (output.includes('is processing transcription jobs'))
        resolve({ process: child, output: () => output });
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}:\n${output}`)));
  });
}

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('issue 7: BullMQ on Redis with two worker processes, one killed mid-job', () => {
  const dbName = `cs_e2e_${randomBytes(5).toString('hex')}`;
  const prefix = `e2e-${randomBytes(5).toString('hex')}`;
  const databaseUrl = TEST_POSTGRES_URL.replace(/\/[^/]*$/, `/${dbName}`);
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let server: RunningServer;
  let s: Session;
  const workers: Worker[] = [];

  beforeAll(async () => {
    const admin = await createPostgresDatabase({ connectionString: TEST_POSTGRES_URL, max: 1 });
    await admin.exec(`CREATE DATABASE ${dbName}`);
    await admin.close();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'callscribe-e2e-workers-'));
    env = {
      CALLSCRIBE_DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      CALLSCRIBE_QUEUE_PREFIX: prefix,
      // serve only enqueues; the workers transcribe.
      CALLSCRIBE_TRANSCRIPTION_CONCURRENCY: '0',
      // A dead worker's job moves on after ~2 s instead of 30 s.
      CALLSCRIBE_JOB_LOCK_MS: '2000',
      CALLSCRIBE_JOB_BACKOFF_MS: '200',
    };
    server = await startServer(env);
    workers.push(await startWorker(env), await startWorker(env));
    s = await openSession(server.url, env);
  });

  afterAll(async () => {
    for (const w of workers)
      if (w.process.exitCode === null && w.process.signalCode === null) w.process.kill('SIGTERM');
    await Promise.all(
      workers.map((w) =>
        w.process.exitCode === null && w.process.signalCode === null
          ? new Promise((r) => w.process.once('exit', r))
          : undefined,
      ),
    );
    await server?.stop();
    await deleteRedisPrefix(TEST_REDIS_URL, prefix);
    const admin = await createPostgresDatabase({ connectionString: TEST_POSTGRES_URL, max: 1 });
    await admin.exec(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a worker refuses to start without the shared queue and database, in one sentence', async () => {
    const result = await callscribe(['worker'], {
      ...env,
      REDIS_URL: '',
      DATABASE_URL: '',
      CALLSCRIBE_TRANSCRIPTION_CONCURRENCY: '',
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'callscribe: callscribe worker needs REDIS_URL (the shared job queue) and DATABASE_URL (the PostgreSQL database callscribe serve uses).',
    );
  });

  it('transcribes every call exactly once although a worker dies with SIGKILL mid-job', async () => {
    const dana = await s.owner('dana@example.com', 'sales', 'Dana', 'Demo');
    const sam = await s.contact('Sam', 'Rivera', 'sam@example.com');
    await s.client.crm.extensions.calling.recordingSettingsApi.registerUrlFormat(Number(APP_ID), {
      urlToRetrieveAuthedRecording: `${server.url}/app/v1/recordings/%s`,
    });
    const wav = await shortCallWav();
    const callIds: string[] = [];
    for (let i = 0; i < CALLS; i++) {
      await s.upload(APP_ID, ACCOUNT, `multi-${i}`, wav);
      const callId = await s.logCall(
        platformCall(APP_ID, ACCOUNT, `multi-${i}`, { hubspot_owner_id: dana }),
        sam,
      );
      await s.markReady(callId);
      callIds.push(callId);
    }

    // Kill whichever worker is first seen in the middle of transcribing.
    let victim: Worker | undefined;
    let victimCall: string | undefined;
    await until(() => {
      for (const w of workers) {
        const m = /call (\d+) transcribing/.exec(w.output());
        if (m) {
          victim = w;
          victimCall = m[1];
          return true;
        }
      }
      return false;
    });
    victim!.process.kill('SIGKILL');
    await new Promise((resolve) => victim!.process.once('exit', resolve));
    const survivor = workers.find((w) => w !== victim)!;

    const states = [];
    for (const id of callIds) states.push(await s.waitFinished(id));
    expect(states.map((x) => x.state)).toEqual(callIds.map(() => 'done'));

    // The killed job ran again on the survivor: two attempts, one transcript.
    const killed = states.find((x) => x.callId === victimCall)!;
    expect(killed.attempts).toBe(2);
    expect(victim!.output()).not.toContain(`call ${victimCall} done`);
    expect(survivor.output()).toContain(`call ${victimCall} done`);

    // Exactly once: one "done" per call across all workers, and one stored transcript per call.
    const all = workers.map((w) => w.output()).join('\n');
    for (const id of callIds) expect(all.match(new RegExp(`call ${id} done`, 'g'))).toHaveLength(1);
    const db = await createPostgresDatabase({ connectionString: databaseUrl, max: 1 });
    const rows = await db.query<{ engagement_id: number; n: number }>(
      'SELECT engagement_id, count(*)::int AS n FROM transcripts GROUP BY engagement_id ORDER BY engagement_id',
    );
    await db.close();
    expect(rows).toEqual(callIds.map((id) => ({ engagement_id: Number(id), n: 1 })));
    for (const st of states) {
      const call = await s.client.crm.objects.calls.basicApi.getById(st.callId, ['hs_call_transcription_id']);
      expect(call.properties['hs_call_transcription_id']).toBe(st.transcriptId);
    }
  });
});
