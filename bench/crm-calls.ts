/**
 * The CRM's hot paths over loopback, beside a bare Fastify hello-world measured in the same run:
 * requests/s and p99 latency of `GET /crm/v3/objects/calls/{id}` and `POST /crm/v3/objects/calls`
 * (Bearer auth, rate-limit accounting and HubSpot error handling included), on PGlite and on the
 * local PostgreSQL server. Target (issue 6): reads ≥ 0.5× the bare route's requests/s.
 * Load comes from autocannon in its own process, so it does not share the server's event loop.
 * Run: `node --import tsx bench/crm-calls.ts` (or `npm run bench`). BENCH_SECONDS and BENCH_ROUNDS
 * set the slice length and count.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import { loadConfig } from '../src/config.js';
import { createCallscribe } from '../src/main.js';
import { migrate } from '../src/storage/db/index.js';
import { TEST_DATABASES, TEST_POSTGRES_URL } from '../test/support/databases.js';

const run = promisify(execFile);
/** Seconds of load per slice; each route gets ROUNDS slices, alternating with the bare route. */
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 2);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 4);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 10);
const POSTGRES_URL = TEST_POSTGRES_URL;
const AUTOCANNON = path.resolve('node_modules/.bin/autocannon');

interface Result {
  rps: number;
  p99: number;
  non2xx: number;
}

async function load(url: string, options: { method?: string; body?: string; headers?: string[] } = {}) {
  const args = ['-j', '-c', String(CONNECTIONS), '-d', String(SECONDS), '-m', options.method ?? 'GET'];
  for (const h of options.headers ?? []) args.push('-H', h);
  if (options.body) args.push('-b', options.body);
  const { stdout } = await run(AUTOCANNON, [...args, url], { maxBuffer: 16 * 1024 * 1024 });
  const out = JSON.parse(stdout) as {
    requests: { average: number };
    latency: { p99: number };
    non2xx: number;
  };
  return { rps: out.requests.average, p99: out.latency.p99, non2xx: out.non2xx } satisfies Result;
}

async function bareHello(): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify({ logger: false });
  app.get('/hello', async () => ({ hello: 'world' }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `${url}/hello`, close: () => app.close() };
}

/**
 * Alternates short slices of the bare route and `target` (ROUNDS each) and sums them, so both see
 * the same machine load even when other work comes and goes; p99 is the median of the slices'.
 */
async function paired(bareUrl: string, target: () => Promise<Result>): Promise<Pair> {
  const bare: Result[] = [];
  const measured: Result[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    bare.push(await load(bareUrl));
    measured.push(await target());
  }
  const combine = (rs: Result[]): Result => ({
    rps: rs.reduce((a, r) => a + r.rps, 0) / rs.length,
    p99: rs.map((r) => r.p99).sort((a, b) => a - b)[Math.floor(rs.length / 2)]!,
    non2xx: rs.reduce((a, r) => a + r.non2xx, 0),
  });
  return { bare: combine(bare), result: combine(measured) };
}

async function benchDatabase(kind: 'pglite' | 'postgres', bareUrl: string) {
  // The same databases the tests use: PGlite in memory, or a fresh PostgreSQL schema.
  const { db, drop } = await TEST_DATABASES.find((d) => d.name === kind)!.open();
  await migrate(db);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'callscribe-bench-crm-'));
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    CALLSCRIBE_DATA_DIR: dataDir,
    CALLSCRIBE_RATE_LIMIT_PER_10S: '0',
    // On PostgreSQL the record cache LISTENs on this server (our schema is the db's search_path).
    ...(kind === 'postgres' ? { DATABASE_URL: POSTGRES_URL } : {}),
  });
  const system = await createCallscribe(config, { db });
  // The same hello-world on callscribe's own instance: what every route pays for shared hooks.
  system.app.get('/bench/hello', async () => ({ hello: 'world' }));
  const base = await system.app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const token = await system.tokens.create();
    const contact = await system.crm.objects.create('contacts', {
      properties: { email: 'bench@example.com' },
    });
    let id = '';
    for (let i = 0; i < 200; i++) {
      const call = await system.crm.calls.create({
        properties: { hs_timestamp: Date.now(), hs_call_title: `bench ${i}`, hs_call_status: 'COMPLETED' },
        associations: [
          {
            to: { id: contact.id },
            types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 194 }],
          },
        ],
      });
      id = call.id;
    }
    const auth = [`authorization=Bearer ${token}`, 'content-type=application/json'];
    const body = JSON.stringify({
      properties: {
        hs_timestamp: '2024-01-17T19:55:04.281Z',
        hs_call_title: 'bench',
        hs_call_direction: 'OUTBOUND',
      },
    });
    return {
      sameApp: await paired(bareUrl, () => load(`${base}/bench/hello`)),
      read: await paired(bareUrl, () =>
        load(`${base}/crm/v3/objects/calls/${id}?properties=hs_call_title,hs_call_status`, { headers: auth }),
      ),
      create: await paired(bareUrl, () =>
        load(`${base}/crm/v3/objects/calls`, { method: 'POST', headers: auth, body }),
      ),
    };
  } finally {
    await system.close();
    await drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const fmt = (r: Result) =>
  `${Math.round(r.rps).toString().padStart(6)} req/s  p99 ${String(r.p99).padStart(4)} ms${r.non2xx ? `  (${r.non2xx} non-2xx!)` : ''}`;

type Pair = { bare: Result; result: Result };

function line(label: string, pair: Pair): number {
  const ratio = pair.result.rps / pair.bare.rps;
  console.log(
    `  ${label.padEnd(40)} ${fmt(pair.result)}  ${ratio.toFixed(2)}× bare (bare: ${fmt(pair.bare)})`,
  );
  return ratio;
}

async function main() {
  console.log(
    `CRM calls bench: ${CONNECTIONS} connections, ${ROUNDS} slices of ${SECONDS}s per route (autocannon)`,
  );
  console.log('  each route alternates with a bare Fastify hello-world; ratios compare the two');
  const hello = await bareHello();
  let ok = true;
  try {
    for (const kind of ['pglite', 'postgres'] as const) {
      const { sameApp, read, create } = await benchDatabase(kind, hello.url);
      line(`${kind} hello on callscribe's instance`, sameApp);
      const readRatio = line(`${kind} GET  /crm/v3/objects/calls/{id}`, read);
      line(`${kind} POST /crm/v3/objects/calls`, create);
      if (read.result.non2xx || create.result.non2xx) ok = false;
      if (readRatio < 0.5) console.log(`  ${kind}: reads are below the 0.5× target`);
    }
  } finally {
    await hello.close();
  }
  if (!ok) process.exitCode = 1;
}

await main();
