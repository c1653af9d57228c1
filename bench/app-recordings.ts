/**
 * The calling-app backend over loopback, each number beside a baseline measured in the same run:
 *  1. requests/s of `GET /app/v1/recordings/{id}` (the endpoint HubSpot calls) vs a bare route on
 *     the same Fastify instance (same hooks, same error handling) — target ≥ 0.8×;
 *  2. MB/s of Range downloads of the signed media URL vs nginx (Debian nginx-light, one worker,
 *     sendfile on) serving the very same file — target ≥ 0.9×.
 * Load comes from wrk (Debian). Run: `node --import tsx bench/app-recordings.ts` (or `npm run bench`).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { registerAppBackend } from '../src/app-backend/index.js';
import { loadConfig } from '../src/config.js';
import { hubSpotSignatureHeadersV3 } from '../src/core/hubspot-signature-v3.js';
import { createTokenStore } from '../src/crm/auth/token-store.js';
import { buildHttpServer } from '../src/http/build-http-server.js';
import { createBlobStore } from '../src/storage/blob/index.js';
import { migrate } from '../src/storage/db/index.js';
import { createPgliteDatabase } from '../src/storage/db/pglite-database.js';
import { makeWav } from '../test/support/app-audio.js';

const run = promisify(execFile);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 3);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
/** `endpoint` or `range` to run one half only. */
const ONLY = process.env['BENCH_ONLY'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs the measurements in turn, ROUNDS times over, so noise from the machine hits all alike. */
async function rounds<T>(measures: Array<() => Promise<T>>): Promise<T[][]> {
  const results: T[][] = measures.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, m] of measures.entries()) results[i]!.push(await m());
  }
  return results;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

interface WrkResult {
  requestsPerSec: number;
  bytesPerSec: number;
  non2xx: number;
  requests: number;
  bytes: number;
  /** CPU seconds the server under test used during the run (all its threads or processes). */
  cpuSeconds: number;
}

const UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

/** CPU seconds used so far by the server under test. */
type CpuClock = () => Promise<number>;

/** This process (the callscribe server runs in it): user + system, libuv threads included. */
const nodeCpu: CpuClock = async () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** An nginx master and its workers, from /proc (utime + stime in clock ticks). */
function processTreeCpu(root: number, ticksPerSecond: number): CpuClock {
  return async () => {
    let ticks = 0;
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(entry);
      if (pid === root || Number(fields[1]) === root) ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks / ticksPerSecond;
  };
}

async function wrk(
  url: string,
  headers: Record<string, string>,
  connections: number,
  cpu: CpuClock,
): Promise<WrkResult> {
  const args = ['-t', '1', '-c', String(connections), '-d', `${SECONDS}s`];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
  const before = await cpu();
  const { stdout } = await run('wrk', [...args, url], { maxBuffer: 1 << 20 });
  const cpuSeconds = (await cpu()) - before;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? Number.NaN);
  const transfer = /Transfer\/sec:\s+([\d.]+)(B|KB|MB|GB)/.exec(stdout);
  const total = /(\d+) requests in [\d.]+\w+, ([\d.]+)(B|KB|MB|GB) read/.exec(stdout);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
  return {
    requestsPerSec: rps,
    bytesPerSec: Number(transfer?.[1]) * (UNITS[transfer?.[2] ?? 'B'] ?? 1),
    non2xx,
    requests: Number(total?.[1] ?? 0),
    bytes: Number(total?.[2]) * (UNITS[total?.[3] ?? 'B'] ?? 1),
    cpuSeconds,
  };
}

async function startNginx(
  dir: string,
  root: string,
): Promise<{ url: string; cpu: CpuClock; stop(): Promise<void> }> {
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  await writeFile(
    conf,
    `${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path ${dir}/tmp; proxy_temp_path ${dir}/tmp; fastcgi_temp_path ${dir}/tmp;
  uwsgi_temp_path ${dir}/tmp; scgi_temp_path ${dir}/tmp;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location / { default_type application/octet-stream; }
  }
}
`,
  );
  const child = spawn('nginx', ['-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/`).then(
      () => true,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const ticks = Number((await run('getconf', ['CLK_TCK'])).stdout.trim()) || 100;
  return {
    url: `http://127.0.0.1:${port}`,
    cpu: processTreeCpu(child.pid!, ticks),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGQUIT');
      }),
  };
}

const ratio = (a: number, b: number) => (a / b).toFixed(2);

export async function runAppRecordingsBench(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'callscribe-bench-app-'));
  const db = await createPgliteDatabase();
  await migrate(db);
  const secret = 'bench-client-secret';
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    CALLSCRIBE_DATA_DIR: dir,
    CALLSCRIBE_SIGNED_URL_TTL: '3600',
  });
  const blobs = await createBlobStore(config.blobStore);
  const tokens = createTokenStore(db);
  // Two instances of the same app: one verifying HubSpot signatures, one without a client secret.
  const plain = buildHttpServer({ logLevel: 'silent' });
  const signed = buildHttpServer({ logLevel: 'silent' });
  const recordings = await registerAppBackend(plain, { config, db, blobs, tokens, adminSecret: 'x' });
  await registerAppBackend(signed, {
    config: { ...config, appBackend: { ...config.appBackend, clientSecret: secret } },
    db,
    blobs,
    tokens,
    adminSecret: 'x',
  });
  // The baseline: a bare route of the same framework and instance, same URL shape (a path
  // parameter and the same query string), answering a JSON body of the same length.
  const bareBody = {
    authenticatedUrl: `http://127.0.0.1:8787/app/v1/media/acc-1/bench-call?expires=1764000000&signature=${'x'.repeat(43)}`,
  };
  for (const app of [plain, signed]) app.get('/bench/bare/:externalId', async () => bareBody);
  const url = await plain.listen({ port: 0, host: '127.0.0.1' });
  const signedUrl = await signed.listen({ port: 0, host: '127.0.0.1' });

  const fileBytes = 64 * 1024 * 1024;
  const wav = makeWav(fileBytes - 44);
  await recordings.store({
    externalAccountId: 'acc-1',
    externalId: 'bench-call',
    appId: '42',
    body: Readable.from([wav]),
  });
  const endpoint = '/app/v1/recordings/bench-call?externalAccountId=acc-1&appId=42';
  const { authenticatedUrl } = (await (await fetch(url + endpoint)).json()) as { authenticatedUrl: string };
  const mediaUrl = authenticatedUrl.replace(/^https?:\/\/[^/]+/, url);
  const nginx = await startNginx(dir, path.join(dir, 'recordings'));
  try {
    console.log(
      `app-recordings bench: wrk, ${SECONDS}s per run, ${ROUNDS} interleaved rounds (median), loopback, ${os.cpus().length} cores`,
    );
    const query = '?externalAccountId=acc-1&appId=42';
    const headers = hubSpotSignatureHeadersV3(secret, { method: 'GET', uri: signedUrl + endpoint });
    console.log(
      '  (wall = wrk req/s or MB/s, median; cpu = the same per CPU-second the server used, which the\n' +
        '   other load on this machine disturbs far less; both ratios are ours / baseline)',
    );
    if (!ONLY || ONLY === 'endpoint') {
      const r = await rounds([
        () => wrk(`${url}/bench/bare/bench-call${query}`, {}, 32, nodeCpu),
        () => wrk(url + endpoint, {}, 32, nodeCpu),
        () => wrk(`${signedUrl}/bench/bare/bench-call${query}`, {}, 32, nodeCpu),
        () => wrk(signedUrl + endpoint, headers, 32, nodeCpu),
      ]);
      for (const x of r.slice(1))
        if (x.some((y) => y.non2xx > 0)) throw new Error('the endpoint answered errors');
      const wall = r.map((x) => median(x.map((y) => y.requestsPerSec)));
      const perCpu = r.map((x) => median(x.map((y) => y.requests / y.cpuSeconds)));
      const line = (name: string, i: number, base?: number, target = '') =>
        console.log(
          `  ${name.padEnd(32)} ${wall[i]!.toFixed(0).padStart(7)} req/s  ${perCpu[i]!.toFixed(0).padStart(7)} req/cpu-s` +
            (base === undefined
              ? ''
              : `   ratio wall ${ratio(wall[i]!, wall[base]!)}  cpu ${ratio(perCpu[i]!, perCpu[base]!)}${target}`),
        );
      line('bare route (same URL shape)', 0);
      line('authenticated-URL endpoint', 1, 0, '  (target ≥ 0.80)');
      line('bare route, 2nd instance', 2);
      line('endpoint + v3 signature check', 3, 2);
    }
    if (!ONLY || ONLY === 'range') {
      const ranges: Array<[string, string]> = [
        ['Range 8 MiB', `bytes=${1024 * 1024}-${9 * 1024 * 1024 - 1}`],
        ['Range open (16 MiB)', `bytes=${48 * 1024 * 1024}-`],
        ['Range 64 KiB', `bytes=${5 * 1024 * 1024}-${5 * 1024 * 1024 + 65_535}`],
      ];
      const nginxPath = `${nginx.url}/recordings/acc-1/bench-call`;
      for (const [name, range] of ranges) {
        const [ours, theirs] = await rounds([
          () => wrk(mediaUrl, { Range: range }, 4, nodeCpu),
          () => wrk(nginxPath, { Range: range }, 4, nginx.cpu),
        ]);
        if ([...ours!, ...theirs!].some((r) => r.non2xx > 0)) throw new Error('range downloads failed');
        const a = median(ours!.map((r) => r.bytesPerSec));
        const b = median(theirs!.map((r) => r.bytesPerSec));
        const ac = median(ours!.map((r) => r.bytes / r.cpuSeconds));
        const bc = median(theirs!.map((r) => r.bytes / r.cpuSeconds));
        const mb = (n: number) => (n / 1024 / 1024).toFixed(0).padStart(6);
        console.log(
          `  ${name.padEnd(20)} callscribe ${mb(a)} MB/s (${mb(ac)} MB/cpu-s)   nginx ${mb(b)} MB/s (${mb(bc)} MB/cpu-s)` +
            `   ratio wall ${ratio(a, b)}  cpu ${ratio(ac, bc)}  (target ≥ 0.90)`,
        );
      }
    }
  } finally {
    await nginx.stop();
    await plain.close();
    await signed.close();
    await blobs.close();
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

// bench/run.ts imports every bench module; importing measures.
await runAppRecordingsBench();
