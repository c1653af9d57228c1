import { mkdir, rm, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Config } from '../../config.js';
import { AppError } from '../../core/errors.js';
import { tryLock } from '../../storage/db/process-lock.js';
import { lockFilePath, type ServerFile, serverFilePath } from '../admin-api.js';
import { type CliContext, exitOnSignal } from '../cli-context.js';

async function takeDatabaseLock(config: Config): Promise<() => Promise<void>> {
  if (config.databaseUrl) return async () => undefined;
  await mkdir(config.dataDir, { recursive: true });
  const deadline = Date.now() + 15_000;
  for (;;) {
    const release = await tryLock(lockFilePath(config));
    if (release) return release;
    if (Date.now() > deadline) {
      throw new AppError(
        'E_UNAVAILABLE',
        `Another callscribe process is using ${config.dataDir}; stop it or set CALLSCRIBE_DATA_DIR to another directory.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Starts the whole system on one port and keeps it running until SIGINT/SIGTERM. */
export async function serve(ctx: CliContext, options: { demo?: boolean }): Promise<void> {
  const config = ctx.config();
  const release = await takeDatabaseLock(config);
  const { createCallscribe } = await import('../../main.js');
  let system: Awaited<ReturnType<typeof createCallscribe>>;
  try {
    system = await createCallscribe(config);
  } catch (error) {
    await release();
    throw error;
  }
  const address = await system.app.listen({ port: config.port, host: config.host });
  const url = address.replace('[::1]', '127.0.0.1');
  const file: ServerFile = { pid: process.pid, url, adminSecret: system.adminSecret };
  await writeFile(serverFilePath(config), JSON.stringify(file), { mode: 0o600 });

  await system.transcription.start(config.pipeline.concurrency);
  if (options.demo) {
    const { seedDemo } = await import('../../demo/seed-demo.js');
    await seedDemo(system, ctx.out, { url });
  }
  if (config.devMode) {
    // Issue 6: in dev mode both credentials are printed at start-up, ready to paste.
    ctx.out(
      `Dev mode private-app token (Bearer): ${await system.tokens.create('private_app', 'dev start-up')}`,
    );
    ctx.out(
      `Dev mode developer API key (hapikey): ${await system.tokens.create('developer_api_key', 'dev start-up')}`,
    );
  }
  ctx.out(`callscribe is listening on ${url} (database: ${system.db.kind}; data: ${config.dataDir})`);

  exitOnSignal(async () => {
    await rm(serverFilePath(config), { force: true });
    await system.close();
    await release();
  });
}

export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run the whole system (CRM API, app backend, transcription, timeline) on one port')
    .option('--demo', 'seed a demo account, owner, token and transcribed calls on start')
    .action((options: { demo?: boolean }) => ctx.run(() => serve(ctx, options), { keepAlive: true }));
}
