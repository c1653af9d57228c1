/**
 * Issue 7 bench: calls transcribed per minute by the whole pipeline with 1 and 2 `callscribe
 * worker` processes (BullMQ on Redis, shared PostgreSQL), and the time from "mark ready" to the
 * transcript being available — beside the baseline of the engine alone transcribing the same call
 * in the same run (the same child-process transcriber the workers use, without queue, fetch or CRM).
 *
 *   node --import tsx bench/pipeline-throughput.ts          (needs `npm run build` first)
 *   BENCH_CALL_MINUTES=10 BENCH_CALLS=2 …                    (defaults: 10-minute calls, 2 calls per run)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@hubspot/api-client';
import { generateCallAudio, SAMPLE_DIALOGUE } from '../src/demo/call-audio.js';
import { transcribeInChild } from '../src/pipeline/transcribe-in-child.js';
import { createPostgresDatabase } from '../src/storage/db/postgres-database.js';
import { CLI, callscribe, startServer } from '../test/support/cli.js';
import { TEST_POSTGRES_URL } from '../test/support/databases.js';
import { deleteRedisPrefix, TEST_REDIS_URL } from '../test/support/redis.js';

const MINUTES = Number(process.env['BENCH_CALL_MINUTES'] ?? 10);
const CALLS = Number(process.env['BENCH_CALLS'] ?? 2);
const APP_ID = '779001';

if (!existsSync(CLI) || !existsSync(path.resolve('dist/cli/commands/worker.js'))) {
  throw new Error('bench/pipeline-throughput.ts runs the built CLI: run `npm run build` first.');
}

const last = async (args: string[], env: NodeJS.ProcessEnv) =>
  (await callscribe(args, env)).stdout.trim().split('\n').at(-1)!.trim();

function startWorker(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, 'worker'], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('is processing transcription jobs')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

const audio = await generateCallAudio(
  path.join(os.tmpdir(), 'callscribe-bench-audio', `call-${MINUTES}min`),
  SAMPLE_DIALOGUE,
  { minSeconds: MINUTES * 60 },
);
console.log(`call: ${audio.seconds.toFixed(0)} s two-channel 8 kHz WAV; ${CALLS} calls per run`);

// Baseline: the engine alone, on the same file, in this run.
const speakers = [
  { id: '1', name: 'Caller' },
  { id: '2', name: 'Recipient' },
];
const t0 = performance.now();
await transcribeInChild({ path: audio.path, speakers });
const engineSeconds = (performance.now() - t0) / 1000;
console.log(
  `baseline  engine alone: ${engineSeconds.toFixed(1)} s per call (${(audio.seconds / engineSeconds).toFixed(2)}× real time, ${(60 / engineSeconds).toFixed(2)} calls/min)`,
);

const dbName = `cs_bench_${randomBytes(4).toString('hex')}`;
const prefix = `bench-${randomBytes(4).toString('hex')}`;
const admin = await createPostgresDatabase({ connectionString: TEST_POSTGRES_URL, max: 1 });
await admin.exec(`CREATE DATABASE ${dbName}`);
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'callscribe-bench-pipeline-'));
const env: NodeJS.ProcessEnv = {
  CALLSCRIBE_DATA_DIR: dataDir,
  DATABASE_URL: TEST_POSTGRES_URL.replace(/\/[^/]*$/, `/${dbName}`),
  REDIS_URL: TEST_REDIS_URL,
  CALLSCRIBE_QUEUE_PREFIX: prefix,
  CALLSCRIBE_TRANSCRIPTION_CONCURRENCY: '0',
};
const server = await startServer(env);
try {
  const token = await last(['token', 'create'], env);
  const developerApiKey = await last(['token', 'create', '--developer-api-key'], env);
  await callscribe(['owners', 'add', '--email', 'bench@example.com', '--seat', 'sales'], env);
  const client = new Client({ accessToken: token, developerApiKey, basePath: server.url });
  const ownerId = (await client.crm.owners.ownersApi.getPage('bench@example.com')).results[0]!.id;
  await client.crm.extensions.calling.recordingSettingsApi.registerUrlFormat(Number(APP_ID), {
    urlToRetrieveAuthedRecording: `${server.url}/app/v1/recordings/%s`,
  });
  const bytes = await readFile(audio.path);
  const bearer = { authorization: `Bearer ${token}` };
  let n = 0;

  interface Timing {
    latency: number;
    queued: number;
    fetch: number;
    transcribe: number;
  }
  const results: { workers: number; perMinute: number; timings: Timing[] }[] = [];
  for (const workerCount of [1, 2]) {
    const ids: string[] = [];
    for (let i = 0; i < CALLS; i++) {
      const externalId = `bench-${++n}`;
      await fetch(`${server.url}/app/v1/recordings/${externalId}?externalAccountId=bench&appId=${APP_ID}`, {
        method: 'PUT',
        headers: bearer,
        body: bytes,
      });
      const call = await client.crm.objects.calls.basicApi.create({
        properties: {
          hs_timestamp: new Date().toISOString(),
          hs_call_source: 'INTEGRATIONS_PLATFORM',
          hs_call_app_id: APP_ID,
          hs_call_external_account_id: 'bench',
          hs_call_external_id: externalId,
          hubspot_owner_id: ownerId,
        },
        associations: [],
      });
      ids.push(call.id);
    }
    // Calls are logged while no worker runs; the clock starts at mark-ready.
    const workers = await Promise.all(Array.from({ length: workerCount }, () => startWorker(env)));
    const start = Date.now();
    const readyAt = new Map<string, number>();
    for (const id of ids) {
      readyAt.set(id, Date.now());
      await client.crm.extensions.calling.recordingSettingsApi.markAsReady({ engagementId: Number(id) });
    }
    // Poll every call; note when each is first seen transcribing to split the time by stage.
    const transcribingSeen = new Map<string, number>();
    const timings = new Map<string, Timing>();
    while (timings.size < ids.length) {
      for (const id of ids) {
        if (timings.has(id)) continue;
        const s = (await (
          await fetch(`${server.url}/callscribe/v1/calls/${id}/transcription`, { headers: bearer })
        ).json()) as {
          state: string;
          reason: string | null;
          startedAt: string | null;
          finishedAt: string | null;
        };
        if (s.state === 'failed') throw new Error(`call ${id} failed: ${s.reason}`);
        if (s.state === 'transcribing' && !transcribingSeen.has(id)) transcribingSeen.set(id, Date.now());
        if (s.state === 'done') {
          const ready = readyAt.get(id)!;
          const started = Date.parse(s.startedAt!);
          const finished = Date.parse(s.finishedAt!);
          const transcribing = transcribingSeen.get(id) ?? started;
          timings.set(id, {
            latency: (finished - ready) / 1000,
            queued: Math.max(0, started - ready) / 1000,
            fetch: (transcribing - started) / 1000,
            transcribe: (finished - transcribing) / 1000,
          });
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const wall = (Date.now() - start) / 1000;
    await Promise.all(workers.map(stop));
    results.push({
      workers: workerCount,
      perMinute: (CALLS * 60) / wall,
      timings: ids.map((id) => timings.get(id)!),
    });
  }

  const one = results[0]!;
  const f = (x: number) => `${x.toFixed(1)} s`;
  for (const r of results) {
    console.log(
      `${r.workers} worker${r.workers > 1 ? 's' : ' '}: ${r.perMinute.toFixed(2)} calls/min (${(r.perMinute / (60 / engineSeconds)).toFixed(2)}× engine alone, ${(r.perMinute / one.perMinute).toFixed(2)}× 1 worker)`,
    );
    for (const t of r.timings) {
      console.log(
        `   mark-ready → transcript ${f(t.latency)} = queued ${f(t.queued)} + fetch & checks ${f(t.fetch)} + transcription ${f(t.transcribe)}`,
      );
    }
  }
  const first = one.timings[0]!;
  console.log(
    `first call, idle worker: mark-ready → transcript ${f(first.latency)} = ${(first.latency / engineSeconds).toFixed(2)}× the engine alone; time outside the engine (queue + fetch + store) ${f(first.latency - first.transcribe)}`,
  );
} finally {
  await server.stop();
  await deleteRedisPrefix(TEST_REDIS_URL, prefix);
  await admin.exec(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.close();
  await rm(dataDir, { recursive: true, force: true });
}
