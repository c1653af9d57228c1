import type { Command } from 'commander';
import { type Owner, parseSeat, SEATS } from '../../crm/owners/owner-store.js';
import { connectAdminApi } from '../admin-api.js';
import type { CliContext } from '../cli-context.js';

function ownerLine(o: Owner): string {
  return [o.id.padEnd(10), o.seat.padEnd(8), o.email, `${o.firstName} ${o.lastName}`.trim()].join('  ');
}

export function registerOwners(program: Command, ctx: CliContext): void {
  const owners = program.command('owners').description('manage owners (HubSpot users) and their seats');
  const withApi = (fn: (api: Awaited<ReturnType<typeof connectAdminApi>>) => Promise<void>) =>
    ctx.run(async () => {
      const api = await connectAdminApi(ctx.config());
      try {
        await fn(api);
      } finally {
        await api.close();
      }
    });

  owners
    .command('add')
    .description('add an owner; the seat decides whether their calls are transcribed')
    .requiredOption('--email <email>', 'the owner email address')
    .option('--seat <seat>', `the seat: ${SEATS.join(', ')} (sales and service are paid)`, 'none')
    .option('--first-name <name>', 'first name (default: the part of the email before @)')
    .option('--last-name <name>', 'last name')
    .action((o: { email: string; seat: string; firstName?: string; lastName?: string }) =>
      withApi(async (api) => {
        const owner = await api.addOwner({
          email: o.email,
          seat: parseSeat(o.seat),
          firstName: o.firstName,
          lastName: o.lastName,
        });
        ctx.out(ownerLine(owner));
      }),
    );

  owners
    .command('list')
    .description('list owners with their ids and seats')
    .option('--json', 'print JSON instead of a table')
    .action((o: { json?: boolean }) =>
      withApi(async (api) => {
        const all = await api.listOwners();
        if (o.json) return ctx.out(JSON.stringify(all, null, 2));
        ctx.out(`${'ID'.padEnd(10)}  ${'SEAT'.padEnd(8)}  EMAIL  NAME`);
        for (const owner of all) ctx.out(ownerLine(owner));
      }),
    );

  owners
    .command('set-seat')
    .description('change the seat of an owner (by id or email)')
    .argument('<owner>', 'owner id or email')
    .argument('<seat>', SEATS.join('|'))
    .action((owner: string, seat: string) =>
      withApi(async (api) => ctx.out(ownerLine(await api.setSeat(owner, parseSeat(seat))))),
    );
}
