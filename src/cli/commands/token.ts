import type { Command } from 'commander';
import { connectAdminApi } from '../admin-api.js';
import type { CliContext } from '../cli-context.js';

export function registerToken(program: Command, ctx: CliContext): void {
  const token = program.command('token').description('manage private-app access tokens for the CRM API');
  token
    .command('create')
    .description('issue a new private-app access token; it is printed once, as the last line of stdout')
    .option('--label <label>', 'a note to remember what the token is for', '')
    .option(
      '--developer-api-key',
      'issue a developer API key (hapikey) for the calling-settings APIs instead',
    )
    .option('--developer', 'the same as --developer-api-key')
    .action((options: { label: string; developerApiKey?: boolean; developer?: boolean }) =>
      ctx.run(async () => {
        const developer = Boolean(options.developerApiKey || options.developer);
        const api = await connectAdminApi(ctx.config());
        try {
          const value = await api.createToken(developer ? 'developer_api_key' : 'private_app', options.label);
          ctx.out(`# ${developer ? 'developer API key' : 'private-app access token'} (shown only once):`);
          ctx.out(value);
        } finally {
          await api.close();
        }
      }),
    );
}
