/**
 * `callscribe app …`: the calling app's commands. `upload` stores a recording — through the running
 * server when `serve` runs (it owns the embedded database), else directly under the PGlite lock
 * (docs/decisions/0001). `register`, `log-call`, `associate` and `mark-ready` drive the HubSpot sync
 * client against HUBSPOT_BASE_URL (HubSpot itself by default, or callscribe's own CRM server).
 */
import { createReadStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import type { Config } from '../../config.js';
import { AppError, ERROR_CATALOG, type ErrorCode } from '../../core/errors.js';
import { tryLock } from '../../storage/db/process-lock.js';
import { lockFilePath, readServerFile, type ServerFile } from '../admin-api.js';
import type { CliContext } from '../cli-context.js';

interface UploadArgs {
  account: string;
  id: string;
  appId: string;
  file: string;
}

const codeForStatus = (status: number): ErrorCode =>
  (Object.entries(ERROR_CATALOG).find(([, v]) => v.status === status)?.[0] as ErrorCode | undefined) ??
  'E_VALIDATION';

async function uploadViaServer(
  server: ServerFile,
  a: UploadArgs,
  size: number,
): Promise<Record<string, unknown>> {
  const url = `${server.url}/app/v1/recordings/${encodeURIComponent(a.id)}?externalAccountId=${encodeURIComponent(a.account)}&appId=${encodeURIComponent(a.appId)}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${server.adminSecret}`,
        'content-type': 'application/octet-stream',
        'content-length': String(size),
      },
      body: Readable.toWeb(createReadStream(a.file)) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
  } catch (error) {
    throw new AppError('E_UNAVAILABLE', `The running server at ${server.url} did not answer.`, {
      cause: error,
    });
  }
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    throw new AppError(
      codeForStatus(response.status),
      String(json['message'] ?? `The server answered ${response.status}.`),
      {
        status: response.status,
      },
    );
  }
  return json;
}

async function uploadDirect(
  config: Config,
  a: UploadArgs,
  release: () => Promise<void>,
): Promise<Record<string, unknown>> {
  const { openDatabase } = await import('../../storage/db/index.js');
  const { createBlobStore } = await import('../../storage/blob/index.js');
  const { createRecordingService } = await import('../../app-backend/recording-service.js');
  try {
    const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    const blobs = await createBlobStore(config.blobStore);
    try {
      const service = createRecordingService({ db, blobs, maxBytes: config.appBackend.uploadLimitBytes });
      const { recording } = await service.store({
        externalAccountId: a.account,
        externalId: a.id,
        appId: a.appId,
        body: createReadStream(a.file),
      });
      return { ...recording };
    } finally {
      await blobs.close();
      await db.close();
    }
  } finally {
    await release();
  }
}

/** Stores FILE as recording `id` of `account` for app `appId`, via the running server if any. */
export async function uploadRecording(
  config: Config,
  a: UploadArgs,
): Promise<{ via: string; recording: Record<string, unknown> }> {
  let size: number;
  try {
    size = (await stat(a.file)).size;
  } catch {
    throw new AppError('E_VALIDATION', `Cannot read ${a.file}: no such file.`);
  }
  if (size > config.appBackend.uploadLimitBytes) {
    throw new AppError(
      'E_PAYLOAD_TOO_LARGE',
      `${a.file} is ${size} bytes; the upload limit is ${config.appBackend.uploadLimitBytes} bytes (CALLSCRIBE_UPLOAD_LIMIT_MB).`,
    );
  }
  const deadline = Date.now() + 15_000;
  for (;;) {
    const server = await readServerFile(config);
    if (server) return { via: 'server', recording: await uploadViaServer(server, a, size) };
    if (config.databaseUrl)
      return { via: 'direct', recording: await uploadDirect(config, a, async () => undefined) };
    await mkdir(config.dataDir, { recursive: true });
    const release = await tryLock(lockFilePath(config));
    if (release) return { via: 'direct', recording: await uploadDirect(config, a, release) };
    if (Date.now() > deadline) {
      throw new AppError(
        'E_UNAVAILABLE',
        `The database in ${config.dataDir} is busy: another callscribe process holds it.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

interface SyncFlags {
  baseUrl?: string;
  accessToken?: string;
  hapikey?: string;
}

function withSyncOptions(command: Command): Command {
  return command
    .option('--base-url <url>', 'HubSpot API base URL (default HUBSPOT_BASE_URL or https://api.hubapi.com)')
    .option('--access-token <token>', 'private-app/OAuth token (default HUBSPOT_ACCESS_TOKEN)')
    .option(
      '--hapikey <key>',
      'developer API key for recording settings (default HUBSPOT_DEVELOPER_API_KEY)',
    );
}

async function syncClient(config: Config, flags: SyncFlags) {
  const { createHubSpotSyncClient } = await import('../../app-backend/hubspot-sync/index.js');
  return createHubSpotSyncClient({
    baseUrl: flags.baseUrl ?? config.appBackend.hubspotBaseUrl,
    accessToken: flags.accessToken ?? config.appBackend.hubspotAccessToken,
    developerApiKey: flags.hapikey ?? config.appBackend.hubspotDeveloperApiKey,
    onRetry: (i) =>
      process.stderr.write(
        `callscribe: ${i.method} ${i.path} answered ${i.status ?? 'no response'}; retrying in ${i.waitMs} ms\n`,
      ),
    onWarning: (message) => process.stderr.write(`callscribe: warning: ${message}\n`),
  });
}

/**
 * The URL clients reach this server at: CALLSCRIBE_PUBLIC_URL when set; otherwise, if `serve` runs
 * (possibly on another PORT than this shell's), the URL it listens on.
 */
async function publicUrlOf(config: Config): Promise<string> {
  if (config.publicUrl !== `http://127.0.0.1:${config.port}`) return config.publicUrl;
  return (await readServerFile(config))?.url ?? config.publicUrl;
}

function appIdOf(config: Config, given: string | undefined): string {
  const appId = given ?? config.appBackend.appId;
  if (!appId) throw new AppError('E_VALIDATION', 'Pass --app-id (or set CALLSCRIBE_APP_ID).');
  return appId;
}

export function registerApp(program: Command, ctx: CliContext): void {
  const app = program
    .command('app')
    .description("the calling app's recording backend and its sync to HubSpot");

  app
    .command('upload')
    .description(
      'store FILE (WAV, FLAC or MP4) as recording --id of external account --account for app --app-id',
    )
    .requiredOption('--account <externalAccountId>', "the calling app's id of the HubSpot account")
    .requiredOption('--id <externalId>', 'the recording / call id in the calling app (hs_call_external_id)')
    .option('--app-id <appId>', 'the HubSpot app id (default CALLSCRIBE_APP_ID)')
    .option('--json', 'print the stored recording as JSON')
    .argument('<file>', 'the recording file')
    .action((file: string, o: { account: string; id: string; appId?: string; json?: boolean }) =>
      ctx.run(async () => {
        const config = ctx.config();
        const { via, recording } = await uploadRecording(config, {
          account: o.account,
          id: o.id,
          appId: appIdOf(config, o.appId),
          file,
        });
        if (o.json) return ctx.out(JSON.stringify(recording, null, 2));
        ctx.out(
          `stored recording ${o.id} of account ${o.account} (${recording['size']} bytes, ${recording['contentType']}, sha256 ${recording['sha256']}) via ${via === 'server' ? 'the running server' : 'the database'}`,
        );
        ctx.out(
          `HubSpot fetches it through ${await publicUrlOf(config)}/app/v1/recordings/%s (register it with: callscribe app register)`,
        );
      }),
    );

  withSyncOptions(
    app
      .command('register')
      .description(
        'register (or update) the URL HubSpot calls for authenticated recording URLs; %s is the externalId',
      )
      .option('--app-id <appId>', 'the HubSpot app id (default CALLSCRIBE_APP_ID)')
      .option(
        '--url-template <url>',
        'the URL with %s (default <CALLSCRIBE_PUBLIC_URL>/app/v1/recordings/%s)',
      ),
  ).action((o: SyncFlags & { appId?: string; urlTemplate?: string }) =>
    ctx.run(async () => {
      const config = ctx.config();
      const appId = appIdOf(config, o.appId);
      const template = o.urlTemplate ?? `${await publicUrlOf(config)}/app/v1/recordings/%s`;
      const { action } = await (await syncClient(config, o)).registerRecordingUrl(appId, template);
      ctx.out(`${action}: app ${appId} recording URL ${template}`);
    }),
  );

  withSyncOptions(
    app
      .command('log-call')
      .description('log a call whose recording HubSpot fetches from this backend (idempotent on --id)')
      .option('--app-id <appId>', 'the HubSpot app id (default CALLSCRIBE_APP_ID)')
      .option('--account <externalAccountId>', 'external account id (hs_call_external_account_id)')
      .option('--id <externalId>', 'external id of the recording (hs_call_external_id)')
      .option('--title <title>', 'hs_call_title')
      .option('--body <notes>', 'hs_call_body')
      .option('--duration-ms <ms>', 'hs_call_duration in milliseconds')
      .option('--from <number>', 'hs_call_from_number')
      .option('--to <number>', 'hs_call_to_number')
      .option('--status <status>', 'hs_call_status', 'COMPLETED')
      .option('--direction <dir>', 'INBOUND or OUTBOUND')
      .option('--owner <ownerId>', 'hubspot_owner_id')
      .option('--timestamp <iso>', 'hs_timestamp (default now)')
      .option('--contact <id>', 'associate with this contact')
      .option('--company <id>', 'associate with this company')
      .option('--deal <id>', 'associate with this deal')
      .option('--ticket <id>', 'associate with this ticket')
      .option(
        '--legacy-recording-url <url>',
        'log with a PUBLIC hs_call_recording_url instead (no external ids; not recommended)',
      ),
  ).action((o: SyncFlags & Record<string, string | undefined>) =>
    ctx.run(async () => {
      const config = ctx.config();
      const client = await syncClient(config, o);
      const associations = (['contact', 'company', 'deal', 'ticket'] as const)
        .filter((t) => o[t])
        .map((t) => ({ to: t, id: o[t]! }));
      const common = {
        title: o['title'],
        body: o['body'],
        durationMs: o['durationMs'] === undefined ? undefined : Number(o['durationMs']),
        fromNumber: o['from'],
        toNumber: o['to'],
        status: o['status'],
        direction: o['direction'] as 'INBOUND' | 'OUTBOUND' | undefined,
        ownerId: o['owner'],
        timestamp: o['timestamp'],
        associations,
      };
      if (o['legacyRecordingUrl']) {
        const call = await client.logLegacyCall({ ...common, recordingUrl: o['legacyRecordingUrl'] });
        return ctx.out(
          `${call.created ? 'logged' : 'already logged'} call ${call.id} (legacy, public recording URL)`,
        );
      }
      if (!o['account'] || !o['id'])
        throw new AppError('E_VALIDATION', 'Pass --account and --id (or --legacy-recording-url).');
      const call = await client.logCall({
        ...common,
        appId: appIdOf(config, o['appId']),
        externalAccountId: o['account'],
        externalId: o['id'],
      });
      ctx.out(`${call.created ? 'logged' : 'already logged'} call ${call.id}`);
    }),
  );

  withSyncOptions(
    app
      .command('associate')
      .description('associate a logged call with a contact, company, deal or ticket')
      .requiredOption('--call <callId>', 'the call (engagement) id')
      .requiredOption('--to <type>', 'contact, company, deal or ticket')
      .requiredOption('--to-id <id>', 'the record id')
      .option('--api <version>', 'v4 (labelled PUT, default) or v3 (the per-object path of the seed)', 'v4'),
  ).action((o: SyncFlags & { call: string; to: string; toId: string; api: string }) =>
    ctx.run(async () => {
      if (!['contact', 'company', 'deal', 'ticket'].includes(o.to)) {
        throw new AppError('E_VALIDATION', `--to must be contact, company, deal or ticket, not "${o.to}".`);
      }
      const client = await syncClient(ctx.config(), o);
      if (o.api !== 'v3' && o.api !== 'v4')
        throw new AppError('E_VALIDATION', `--api must be v3 or v4, not "${o.api}".`);
      await client.associate(o.call, o.to as 'contact', o.toId, { api: o.api });
      ctx.out(`associated call ${o.call} with ${o.to} ${o.toId}`);
    }),
  );

  withSyncOptions(
    app
      .command('mark-ready')
      .description("mark a call's recording ready: HubSpot then fetches and transcribes it")
      .requiredOption('--call <callId>', 'the call (engagement) id'),
  ).action((o: SyncFlags & { call: string }) =>
    ctx.run(async () => {
      await (await syncClient(ctx.config(), o)).markReady(o.call);
      ctx.out(`marked the recording of call ${o.call} ready`);
    }),
  );
}
