/** Servers, the ISO list of a server, and the history of an ISO. */
import { AppError } from '../../domain/errors.js';
import type { HistoryEntry, IsoImage, Server } from '../../domain/models.js';
import { serverStateText } from '../../domain/server-state.js';
import { SORT_KEYS } from '../../ipc/sort-keys.js';
import type { CatalogChange, CatalogChanges, ImageFacts } from '../../ipc/contract.js';
import type { Command } from '../command.js';
import type { CommandContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { formatApiDate, formatDuration, formatSize, formatTime } from '../format.js';
import { parseWholeNumber, usageError } from '../options.js';
import { printFreshness } from './freshness.js';
import { printable } from '../table.js';

export const serversCommand: Command = {
  name: 'servers',
  summary: 'List your servers (refreshed from HOSTKEY unless --offline)',
  details: [
    'An ISO that ISO Desk mounted and that has stayed attached longer than the detach reminder setting (2 hours unless changed in the app) is called out on standard error, with the command that brings the server back to its disk.',
  ],
  options: [],
  async run(ctx) {
    const answer = await ctx.call('servers/list', { refresh: !ctx.globals.offline });
    ctx.out.result(answer);
    if (!answer.items.length) ctx.out.line('No servers.');
    else
      ctx.out.table(
        [
          { header: 'ID', value: (s: Server) => String(s.id), align: 'right' },
          { header: 'HOSTNAME', value: (s) => s.hostname ?? '-' },
          { header: 'IP', value: (s) => s.main_ip ?? '-' },
          { header: 'LOCATION', value: (s) => s.location ?? '-' },
          { header: 'STATE', value: (s) => serverStateText(s) },
          { header: 'MOUNTED ISO', value: (s) => s.mounted_iso ?? '-', flex: true },
        ],
        answer.items,
      );
    printFreshness(ctx, answer);
    // The detach reminder (issue #9), by the rule the app's uses: an ISO left attached too long.
    for (const due of await ctx.call('reminders/due', {})) {
      ctx.out.note(
        printable(
          `reminder: ${due.title} (mounted ${formatDuration(due.attached_ms)} ago, longer than your ${formatDuration(due.minutes * 60_000)} reminder). "isodesk boot --server ${due.server_id} --disk" brings it back to its disk.`,
        ),
      );
    }
    return EXIT.ok;
  },
};

export const listCommand: Command = {
  name: 'list',
  summary: 'List the ISO images available to a server, with search and sorting',
  details: [
    'Refreshes the list from HOSTKEY, then searches the cache (name, short name, file name, description). With --offline only the cache is read, and the output says when it was synced.',
    'With --changed it lists what that sync found added, changed (size, description, file name) or removed against the sync before it, instead of the images. A sync that finds nothing new keeps the changes it replaces, so they stay listed until newer ones arrive.',
  ],
  options: [
    { name: 'server', value: 'ID', help: 'Server ID (see "isodesk servers")', required: true },
    { name: 'search', value: 'TEXT', help: 'Only images matching TEXT' },
    { name: 'sort', value: 'COL', help: `Sort by ${SORT_KEYS.join(', ')} (default name)` },
    { name: 'desc', help: 'Sort in descending order' },
    { name: 'limit', value: 'N', help: 'Show at most N images (default 100, max 500)' },
    { name: 'changed', help: 'Show what the last sync added, changed and removed, against the sync before it' },
  ],
  async run(ctx, { flags }) {
    const serverId = flags.int('server');
    const synced = ctx.globals.offline ? null : await ctx.call('catalog/sync', { server_id: serverId }, { server_id: '--server' });
    if (flags.bool('changed')) {
      if (flags.string('search') !== undefined || flags.string('sort') !== undefined)
        throw usageError('--changed lists every change; it does not take --search or --sort.', 'list');
      return printChanges(ctx, await ctx.call('catalog/changes', { server_id: serverId }, { server_id: '--server' }), synced?.offline ?? false);
    }
    const query = () =>
      ctx.call(
        'catalog/query',
        {
          server_id: serverId,
          search: flags.string('search'),
          sort: flags.string('sort'),
          dir: flags.bool('desc') ? 'desc' : 'asc',
          limit: flags.int('limit'),
        },
        { server_id: '--server' },
      );
    let answer = await query();
    // Search and sort are still being built (a first sync in the app, or one that was cut short,
    // which the query has set going again): answer once they are, seconds later.
    while (answer.indexing) {
      let stop = (): void => undefined;
      const indexed = new Promise<void>((resolve) => {
        stop = ctx.app.events.on('catalog/changed', (change) => {
          if (change.server_id === serverId && !change.indexing) resolve();
        });
      });
      answer = await query();
      if (answer.indexing) await indexed;
      stop();
    }
    if (answer.synced_at === null) {
      throw new AppError('offline', `Nothing is cached for server ${serverId} yet.`, {
        hint: 'Run the same command without --offline once to fill the cache.',
      });
    }
    ctx.out.result(answer);
    if (!answer.rows.length) ctx.out.line(flags.string('search') ? 'No ISO images match.' : `No ISO images for server ${serverId}.`);
    else ctx.out.table(isoColumns(), answer.rows);
    if (answer.total > answer.rows.length) {
      ctx.out.line(`Showing ${answer.rows.length} of ${answer.total}: narrow with --search or raise --limit.`);
    }
    printFreshness(ctx, answer);
    return EXIT.ok;
  },
};

const FIELD_WORDS: Record<CatalogChange['fields'][number], string> = { size: 'size', description: 'description', iso_name: 'file name' };

/** "size 1.0 GiB → 1.2 GiB; description" */
function whatChanged(c: CatalogChange): string {
  if (c.kind !== 'changed') return formatSize((c.after ?? c.before)?.size);
  const show = (field: keyof ImageFacts, facts: ImageFacts | null) => (field === 'size' ? formatSize(facts?.size) : String(facts?.[field] ?? ''));
  return c.fields.map((f) => (f === 'description' ? FIELD_WORDS[f] : `${FIELD_WORDS[f]} ${show(f, c.before)} → ${show(f, c.after)}`)).join('; ');
}

function printChanges(ctx: CommandContext, changes: CatalogChanges, offline: boolean): number {
  if (changes.synced_at === null) {
    throw new AppError('offline', `Nothing is cached for server ${changes.server_id} yet.`, {
      hint: 'Run the same command without --offline once to fill the cache.',
    });
  }
  ctx.out.result(changes);
  const { added, changed, removed } = changes.counts;
  if (changes.since === null) {
    ctx.out.line(`Nothing to compare with: the sync of ${formatTime(changes.synced_at)} is the first of server ${changes.server_id}'s catalog here.`);
  } else if (added + changed + removed === 0) {
    ctx.out.line(`No changes since ${formatTime(changes.since)} (synced ${formatTime(changes.synced_at)}).`);
  } else {
    ctx.out.line(`Since ${formatTime(changes.since)}: ${added} added, ${changed} changed, ${removed} removed (synced ${formatTime(changes.synced_at)}).`);
    ctx.out.table(
      [
        { header: 'CHANGE', value: (c: CatalogChange) => c.kind },
        { header: 'ID', value: (c) => String(c.id), align: 'right' },
        { header: 'ISO FILE', value: (c) => (c.after ?? c.before)?.iso_name || '-' },
        { header: 'WHAT', value: (c) => whatChanged(c), flex: true },
      ],
      changes.items,
    );
    const total = added + changed + removed;
    if (changes.items.length < total) ctx.out.line(`Showing ${changes.items.length} of ${total} changes.`);
  }
  printFreshness(ctx, { synced_at: changes.synced_at, offline });
  return EXIT.ok;
}

function isoColumns() {
  return [
    { header: 'ID', value: (i: IsoImage) => String(i.id), align: 'right' as const },
    { header: 'ISO FILE', value: (i: IsoImage) => i.iso_name || '-' },
    { header: 'SIZE', value: (i: IsoImage) => formatSize(i.size), align: 'right' as const },
    { header: 'CREATED', value: (i: IsoImage) => formatApiDate(i.created_at) },
    { header: 'DESCRIPTION', value: (i: IsoImage) => i.description || i.name || '', flex: true },
  ];
}

export const historyCommand: Command = {
  name: 'history',
  summary: 'Show the history of operations on an ISO image',
  args: [{ name: 'ISO_ID', help: 'ID of the ISO image' }],
  options: [{ name: 'type', value: 'T', help: 'Only entries of this type (e.g. upload, mount)' }],
  async run(ctx, { flags, positionals }) {
    const isoId = parseWholeNumber(positionals[0]!, 'ISO_ID', 'history');
    const type = flags.string('type')?.trim().toLowerCase();
    if (type === '') throw usageError('--type needs a value.', 'history');
    const answer = await ctx.call('iso/history', { iso_id: isoId, refresh: !ctx.globals.offline }, { iso_id: 'ISO_ID' });
    const items = type ? answer.items.filter((e) => e.type.toLowerCase() === type) : answer.items;
    ctx.out.result({ ...answer, items });
    if (!items.length) ctx.out.line(`No history${type ? ` of type "${type}"` : ''} for ISO ${isoId}.`);
    else
      ctx.out.table(
        [
          { header: 'DATE', value: (e: HistoryEntry) => formatApiDate(e.date) },
          { header: 'TYPE', value: (e) => e.type || '-' },
          { header: 'BY', value: (e) => e.login || '-' },
          { header: 'ISO FILE', value: (e) => e.iso_name || '-' },
          { header: 'MESSAGE', value: (e) => e.message || e.description, flex: true },
        ],
        items,
      );
    printFreshness(ctx, answer);
    return EXIT.ok;
  },
};
