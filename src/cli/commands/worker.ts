/**
 * `callscribe worker`: takes transcription jobs from the shared queue (BullMQ on `REDIS_URL`) and
 * runs them against the shared database (`DATABASE_URL`). Run any number, on any machines; a
 * worker killed mid-job loses nothing — its job moves to another worker once its lock expires.
 */
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { type CliContext, exitOnSignal } from '../cli-context.js';

export async function runWorker(ctx: CliContext, options: { concurrency?: string }): Promise<void> {
  const config = ctx.config();
  if (!config.redisUrl || !config.databaseUrl) {
    throw new AppError(
      'E_VALIDATION',
      'callscribe worker needs REDIS_URL (the shared job queue) and DATABASE_URL (the PostgreSQL database callscribe serve uses).',
    );
  }
  const concurrency = Number(options.concurrency ?? Math.max(1, config.pipeline.concurrency));
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new AppError(
      'E_VALIDATION',
      `--concurrency must be a whole number of at least 1, not "${options.concurrency}".`,
    );
  }
  const [{ openDatabase }, { createCrm }, { createOwnerStore }, pipelineModule] = await Promise.all([
    import('../../storage/db/index.js'),
    import('../../crm/index.js'),
    import('../../crm/owners/owner-store.js'),
    import('../../pipeline/index.js'),
  ]);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const crm = createCrm(db, { devMode: config.devMode });
  const report = (error: unknown, context: string) =>
    process.stderr.write(`callscribe worker: ${context}: ${(error as Error)?.message ?? String(error)}\n`);
  const runtime = await pipelineModule.openTranscriptionPipeline(config, {
    db,
    crm: pipelineModule.createPipelineCrm({ crm, owners: createOwnerStore(db) }),
    onError: report,
  });
  // One line per state this worker writes: what it took, what it finished.
  runtime.pipeline.status.onChange((s) => {
    const attempt = s.state === 'fetching' ? ` (attempt ${s.attempts})` : '';
    const reason = s.reason && s.state !== 'fetching' ? `: ${s.reason}` : '';
    ctx.out(`worker ${process.pid}: call ${s.callId} ${s.state}${attempt}${reason}`);
  });
  await runtime.start(concurrency);
  ctx.out(
    `callscribe worker ${process.pid} is processing transcription jobs (redis queue, concurrency ${concurrency})`,
  );

  exitOnSignal(async () => {
    await runtime.close();
    await db.close();
  });
}

export function registerWorker(program: Command, ctx: CliContext): void {
  program
    .command('worker')
    .description('take transcription jobs from the shared queue (needs REDIS_URL and DATABASE_URL)')
    .option('--concurrency <n>', 'jobs at once (default CALLSCRIBE_TRANSCRIPTION_CONCURRENCY, at least 1)')
    .action((options: { concurrency?: string }) =>
      ctx.run(() => runWorker(ctx, options), { keepAlive: true }),
    );
}
