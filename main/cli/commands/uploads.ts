/** Uploading an ISO by URL and listing uploads. */
import { AppError } from '../../domain/errors.js';
import type { IsoImage } from '../../domain/models.js';
import type { UrlProbe } from '../../ipc/contract.js';
import type { Command } from '../command.js';
import type { CommandContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { formatApiDate, formatSize } from '../format.js';
import { reportTask, WAIT_OPTION } from './task-report.js';
import { printFreshness } from './freshness.js';

export const uploadedCommand: Command = {
  name: 'uploaded',
  summary: 'List uploaded ISO images and their status',
  options: [{ name: 'email', value: 'E', help: "A customer's email (staff only)" }],
  async run(ctx, { flags }) {
    const answer = await ctx.call('uploads/list', { email: flags.string('email'), refresh: !ctx.globals.offline });
    ctx.out.result(answer);
    if (!answer.items.length) ctx.out.line('No uploaded ISO images.');
    else
      ctx.out.table(
        [
          { header: 'ID', value: (i: IsoImage) => String(i.id), align: 'right' },
          { header: 'ISO FILE', value: (i) => i.iso_name || i.name || '-' },
          { header: 'STATUS', value: (i) => i.status ?? '-' },
          { header: 'SIZE', value: (i) => formatSize(i.size), align: 'right' },
          { header: 'CREATED', value: (i) => formatApiDate(i.created_at) },
          { header: 'URL', value: (i) => i.url ?? '', flex: true },
        ],
        answer.items,
      );
    printFreshness(ctx, answer);
    return EXIT.ok;
  },
};

function printProbe(ctx: CommandContext, probe: UrlProbe): void {
  const facts = [
    probe.file_name && `file ${probe.file_name}`,
    probe.size !== null && `size ${formatSize(probe.size)}`,
    probe.content_type && `type ${probe.content_type}`,
  ].filter(Boolean);
  ctx.out.line(`Checked ${probe.url}${facts.length ? `: ${facts.join(', ')}` : ''}`);
  if (probe.final_url && probe.final_url !== probe.url) ctx.out.line(`  redirects to ${probe.final_url}`);
  for (const warning of probe.warnings) ctx.out.line(`  note: ${warning}`);
  for (const problem of probe.problems) ctx.out.line(`  problem: ${problem}`);
}

export const uploadCommand: Command = {
  name: 'upload',
  summary: 'Have HOSTKEY download an ISO from an https URL',
  details: [
    'The URL is checked first (https, a file name, and a HEAD request for size and type); the upload is refused when the check finds a problem. Staff must name the customer with --email and --customer-id.',
  ],
  args: [{ name: 'URL', help: 'Direct https link to the ISO file' }],
  options: [{ name: 'email', value: 'E', help: "Customer's email (staff)" }, { name: 'customer-id', value: 'N', help: "Customer's ID (staff)" }, WAIT_OPTION],
  async run(ctx, { flags, positionals }) {
    const url = positionals[0]!;
    // Offline mode contacts nobody, not even the file's host; the service explains the refusal.
    if (!ctx.globals.offline) {
      const probe = await ctx.call('uploads/probe', { url }, { url: 'URL' });
      printProbe(ctx, probe);
      if (probe.problems.length) {
        throw new AppError('validation', `HOSTKEY cannot use this URL: ${probe.problems.join(' ')}`, { hint: 'Use the direct https link of the ISO file.' });
      }
    }
    const task = await ctx.call('uploads/start', { url, email: flags.string('email'), customer_id: flags.int('customer-id') }, { url: 'URL' });
    return reportTask(ctx, task, flags.bool('wait'));
  },
};
