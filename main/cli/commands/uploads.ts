/** Uploading an ISO by URL and listing uploads. */
import { AppError } from '../../domain/errors.js';
import type { IsoImage } from '../../domain/models.js';
import type { Command } from '../command.js';
import { canAsk, confirm } from '../confirm.js';
import type { CommandContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { formatApiDate, formatSize } from '../format.js';
import type { Flags } from '../options.js';
import { matchText, probeLines } from '../probe-text.js';
import type { SecretSource } from '../secret-input.js';
import { printable } from '../table.js';
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

export interface UploadInput {
  stdin: SecretSource;
}

const DRY_RUN_HELP =
  '--dry-run checks the URL, the file and earlier uploads, prints what it learned (--json: the whole answer) and sends nothing; it exits 4 when HOSTKEY would refuse the URL, 0 otherwise.';
const REPEAT_HELP = `When the same link or file name is already uploaded (Active) or still uploading, upload asks on a terminal whether to upload it again; without a terminal (scripts) it sends nothing and exits ${EXIT.duplicate}, unless --yes is given. Failed earlier uploads are only mentioned.`;

export function uploadCommand(input: UploadInput): Command {
  return {
    name: 'upload',
    summary: 'Have HOSTKEY download an ISO from an https URL',
    details: [
      'The URL is checked first: https, a file name, a HEAD request, the first bytes of the file (ISO 9660 or UDF, label, date, size, BIOS/UEFI boot, isohybrid; or what else it is: a web page, an archive, a disk image), the SHA-256 its publisher lists beside it, and earlier uploads of the same file. Only problems that make HOSTKEY refuse the URL stop the upload. Staff must name the customer with --email and --customer-id.',
      REPEAT_HELP,
      DRY_RUN_HELP,
      'A published SHA-256 is kept with the upload in the local journal; ISO Desk never downloads the ISO itself, so it is the expected value, not a verified one. Verify on the server with the ISO mounted: sha256sum /dev/sr0.',
    ],
    args: [{ name: 'URL', help: 'Direct https link to the ISO file' }],
    options: [
      { name: 'email', value: 'E', help: "Customer's email (staff)" },
      { name: 'customer-id', value: 'N', help: "Customer's ID (staff)" },
      WAIT_OPTION,
      { name: 'dry-run', help: 'Check and report only; send nothing to HOSTKEY' },
      { name: 'yes', short: 'y', help: 'Upload even if the same file is already uploaded or uploading' },
    ],
    async run(ctx, { flags, positionals }) {
      const url = positionals[0]!;
      const email = flags.string('email');
      const dryRun = flags.bool('dry-run');
      // Offline mode contacts nobody, not even the file's host; a real upload is refused by the service.
      if (ctx.globals.offline && !dryRun) return start(ctx, url, flags);
      const probe = await ctx.call('uploads/probe', { url, email }, { url: 'URL' });
      for (const line of probeLines(probe)) ctx.out.line(printable(line));
      if (dryRun) {
        ctx.out.result(probe);
        ctx.out.line('Dry run: nothing was sent to HOSTKEY.');
      }
      if (probe.problems.length) {
        throw new AppError('validation', `HOSTKEY cannot use this URL: ${probe.problems.join(' ')}`, { hint: 'Use the direct https link of the ISO file.' });
      }
      if (dryRun) return EXIT.ok;
      const repeat = (probe.duplicates ?? []).find((m) => m.repeat);
      if (repeat && !flags.bool('yes')) {
        const again = canAsk(input.stdin, ctx.out.stderr) && !ctx.out.json && (await confirm(input.stdin, ctx.out.stderr, 'Upload it again anyway?'));
        if (!again) {
          ctx.out.error({
            kind: 'validation',
            code: 'duplicate',
            message: `Not uploaded. ${matchText(repeat)}`,
            hint: 'Nothing was sent to HOSTKEY. To upload it again anyway, add --yes.',
          });
          return EXIT.duplicate;
        }
      }
      return start(ctx, url, flags);
    },
  };
}

async function start(ctx: CommandContext, url: string, flags: Flags): Promise<number> {
  const task = await ctx.call('uploads/start', { url, email: flags.string('email'), customer_id: flags.int('customer-id') }, { url: 'URL' });
  return reportTask(ctx, task, flags.bool('wait'));
}
