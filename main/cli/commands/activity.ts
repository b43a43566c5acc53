/** `isodesk activity`: one timeline of HOSTKEY's history, this computer's tasks and the uploads, newest first. */
import type { ActivityRow } from '../../ipc/contract.js';
import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { formatTime } from '../format.js';
import { usageError } from '../options.js';

const RELATIVE = /^(\d+)\s*([dhw])$/i;
const UNIT_MS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** --since: a date (local midnight), a date and time (local unless it names a zone), or a span back from now (7d, 24h, 2w). */
export function parseSince(text: string, now: number): number {
  const value = text.trim();
  const relative = RELATIVE.exec(value);
  if (relative) return now - Number(relative[1]) * UNIT_MS[relative[2]!.toLowerCase()]!;
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const ms = day ? new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3])).getTime() : Date.parse(value.replace(' ', 'T'));
  if (!Number.isFinite(ms)) throw usageError(`--since: "${value}" is not a date. Use 2024-10-12, "2024-10-12 14:00", or a span such as 7d or 24h.`, 'activity');
  return ms;
}

export const activityCommand: Command = {
  name: 'activity',
  summary: "One timeline of what happened to your images: HOSTKEY's history, this computer's tasks, your uploads",
  details: [
    "Merges HOSTKEY's history of the images you work with (your uploads, the images your tasks touched, the images whose history you read), the task journal of this data folder and your uploaded list, newest first. A task HOSTKEY's history also records is one row. Each row says when, what, who (HOSTKEY's login), on which server when known, and HOSTKEY's message.",
    'Refreshes the uploaded list and the history of up to 50 images from HOSTKEY first, unless --offline. --csv prints the timeline as CSV (UTC times) for a spreadsheet; --json prints the whole answer.',
  ],
  usage: 'isodesk activity [--since DATE] [--server ID] [--iso ID] [--kind KIND] [--csv | --json]',
  options: [
    { name: 'since', value: 'DATE', help: 'Only from DATE on: 2024-10-12, "2024-10-12 14:00", or 7d, 24h, 2w back from now' },
    { name: 'server', value: 'ID', help: 'Only what happened on this server' },
    { name: 'iso', value: 'ID', help: 'Only what happened to this image' },
    { name: 'kind', value: 'KIND', help: 'Only this kind (upload, mount, unmount, add, update, delete…)' },
    { name: 'csv', help: 'Print CSV instead of a table' },
  ],
  async run(ctx, { flags }) {
    const since = flags.string('since');
    const csv = flags.bool('csv');
    if (csv && ctx.out.json) throw usageError('Choose one of --csv and --json.', 'activity');
    const query = {
      since: since === undefined ? null : parseSince(since, Date.now()),
      server_id: flags.int('server') ?? null,
      iso_id: flags.int('iso') ?? null,
      kind: flags.string('kind') ?? null,
      refresh: !ctx.globals.offline,
    };
    const labels = { server_id: '--server', iso_id: '--iso', kind: '--kind', since: '--since' };
    if (csv) {
      const file = await ctx.call('activity/export', { ...query, format: 'csv' }, labels);
      ctx.out.stdout.write(file.content ?? '');
      return EXIT.ok;
    }
    const answer = await ctx.call('activity/list', query, labels);
    ctx.out.result(answer);
    for (const note of answer.notes) ctx.out.note(`note: ${note}`);
    if (!answer.rows.length) ctx.out.line('Nothing happened that matches.');
    else
      ctx.out.table(
        [
          { header: 'WHEN', value: (r: ActivityRow) => formatTime(r.at) },
          { header: 'KIND', value: (r) => r.kind },
          { header: 'BY', value: (r) => r.login ?? '-' },
          { header: 'SERVER', value: (r) => (r.server_id === null ? '-' : String(r.server_id)), align: 'right' },
          { header: 'WHAT', value: (r) => `${r.what}${r.state && r.state !== 'succeeded' ? ` [${r.state}]` : ''}` },
          { header: 'MESSAGE', value: (r) => r.message ?? '', flex: true },
        ],
        answer.rows,
      );
    if (answer.offline) ctx.out.line('HOSTKEY could not be reached: showing what is cached.');
    else if (ctx.globals.offline) ctx.out.line('Offline: from the cache.');
    return EXIT.ok;
  },
};
