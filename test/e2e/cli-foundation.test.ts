/**
 * The foundation's promises, exercised as a user would: the built CLI as a child process, the
 * server over a real socket, the embedded database in a fresh data dir.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callscribe, type RunningServer, startServer } from '../support/cli.js';

describe('callscribe CLI on embedded PGlite, before and while serve runs', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let server: RunningServer | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'callscribe-cli-'));
    env = { CALLSCRIBE_DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '' };
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('--help lists the commands, and each command has its own --help', async () => {
    const top = await callscribe(['--help'], env);
    expect(top.code).toBe(0);
    for (const verb of ['serve', 'token', 'owners']) expect(top.stdout).toContain(verb);
    const add = await callscribe(['owners', 'add', '--help'], env);
    expect(add.stdout).toMatch(/--seat <seat>/);
  });

  it('before serve: token create prints a token last, owners add then list shows it', async () => {
    const token = await callscribe(['token', 'create'], env);
    expect(token.code).toBe(0);
    expect(token.stdout.trim().split('\n').at(-1)).toMatch(/^pat-na1-[0-9a-f-]{36}$/);
    expect(
      (await callscribe(['owners', 'add', '--email', 'a@example.com', '--seat', 'sales'], env)).code,
    ).toBe(0);
    const list = await callscribe(['owners', 'list'], env);
    expect(list.stdout).toMatch(/sales\s+a@example\.com/);
  });

  it('refusals print one sentence and exit non-zero', async () => {
    const bad = await callscribe(['owners', 'add', '--email', 'b@example.com', '--seat', 'platinum'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(
      'callscribe: seat must be one of sales, service, core, none, not "platinum".',
    );
    const dup = await callscribe(['owners', 'add', '--email', 'a@example.com'], env);
    expect(dup.code).toBe(5);
    expect(dup.stderr).toMatch(/already exists/);
    const cfg = await callscribe(['owners', 'list'], { ...env, PORT: 'x' });
    expect(cfg.code).toBe(2);
    expect(cfg.stderr.trim()).toBe('callscribe: PORT must be a whole number from 0 to 65535, not "x".');
  });

  it('while serve runs: GET / answers, and the same commands go through the server', async () => {
    server = await startServer(env);
    const home = await fetch(`${server.url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('callscribe');

    const token = await callscribe(['token', 'create'], env);
    expect(token.code).toBe(0);
    const value = token.stdout.trim().split('\n').at(-1)!;
    expect(
      (await callscribe(['owners', 'add', '--email', 'c@example.com', '--seat', 'service'], env)).code,
    ).toBe(0);
    const list = await callscribe(['owners', 'list'], env);
    expect(list.stdout).toMatch(/sales\s+a@example\.com/);
    expect(list.stdout).toMatch(/service\s+c@example\.com/);

    // The token issued through the running server works on the CRM API at once.
    const owners = await fetch(`${server.url}/crm/v3/owners`, {
      headers: { authorization: `Bearer ${value}` },
    });
    expect(owners.status).toBe(200);
    expect(((await owners.json()) as { results: unknown[] }).results).toHaveLength(2);
  });

  it('after serve stops, the CLI opens the database itself again and sees what the server wrote', async () => {
    await server!.stop();
    server = undefined;
    const list = await callscribe(['owners', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/c@example\.com/);
  });
});
