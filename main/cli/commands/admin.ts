/** Changing the catalog: add, update, del and delete. HOSTKEY decides who may; its refusal is shown as is. */
import type { DeleteOutcome } from '../../domain/models.js';
import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { parseWholeNumber, usageError } from '../options.js';

const ISO_ID_ARG = { name: 'ISO_ID', help: 'ID of the ISO image' };

/** What HOSTKEY said of a deletion, in its own words: a queued deletion is not reported as done. */
function deletionLine(id: number, outcome: DeleteOutcome): string {
  const said = [outcome.status && `status "${outcome.status}"`, outcome.message && `"${outcome.message}"`].filter(Boolean).join(', ');
  return said ? `HOSTKEY accepted the deletion of ISO ${id}: ${said}.` : `HOSTKEY accepted the deletion of ISO ${id}.`;
}

export const addCommand: Command = {
  name: 'add',
  summary: 'Add an ISO image, or update the one with this name (administrators)',
  options: [
    { name: 'name', value: 'N', help: 'Full name', required: true },
    { name: 'short-name', value: 'S', help: 'Short name', required: true },
    { name: 'iso-name', value: 'F', help: 'ISO file name', required: true },
    { name: 'private', value: 'EMAIL', help: 'Email of the customer the image belongs to', required: true },
    { name: 'description', value: 'D', help: 'Description' },
    { name: 'admin-only', help: 'Visible to administrators only' },
    { name: 'status', value: 'S', help: "Status (HOSTKEY's default: Pending)" },
  ],
  async run(ctx, { flags }) {
    const image = await ctx.call('iso/add', {
      name: flags.string('name'),
      short_name: flags.string('short-name'),
      iso_name: flags.string('iso-name'),
      private: flags.string('private'),
      description: flags.string('description'),
      admin_only: flags.bool('admin-only') || undefined,
      status: flags.string('status'),
    });
    ctx.out.result(image);
    ctx.out.line(image ? `Added ISO ${image.id}: ${image.name ?? image.iso_name}${image.status ? ` (${image.status})` : ''}.` : 'HOSTKEY accepted the ISO.');
    return EXIT.ok;
  },
};

export const updateCommand: Command = {
  name: 'update',
  summary: "Change an ISO image's description or file name",
  args: [ISO_ID_ARG],
  options: [
    { name: 'description', value: 'D', help: 'New description' },
    { name: 'iso-name', value: 'F', help: 'New ISO file name' },
  ],
  async run(ctx, { flags, positionals }) {
    const id = parseWholeNumber(positionals[0]!, 'ISO_ID', 'update');
    const description = flags.string('description');
    const isoName = flags.string('iso-name');
    if (description === undefined && isoName === undefined) throw usageError('Give --description or --iso-name (or both).', 'update');
    ctx.out.result(await ctx.call('iso/update', { id, description, iso_name: isoName }, { id: 'ISO_ID' }));
    ctx.out.line(`Updated ISO ${id}.`);
    return EXIT.ok;
  },
};

export const delCommand: Command = {
  name: 'del',
  summary: 'Delete an ISO image (administrators, and owners of private images)',
  args: [ISO_ID_ARG],
  options: [{ name: 'pending', help: 'Remove the record at once instead of queuing the deletion' }],
  async run(ctx, { flags, positionals }) {
    const id = parseWholeNumber(positionals[0]!, 'ISO_ID', 'del');
    const pending = flags.bool('pending');
    const outcome = await ctx.call('iso/del', { id, pending }, { id: 'ISO_ID' });
    ctx.out.result(outcome);
    ctx.out.line(deletionLine(id, outcome));
    return EXIT.ok;
  },
};

export const deleteCommand: Command = {
  name: 'delete',
  summary: 'Delete an ISO image by ID (the alternative API method)',
  args: [ISO_ID_ARG],
  options: [],
  async run(ctx, { positionals }) {
    const id = parseWholeNumber(positionals[0]!, 'ISO_ID', 'delete');
    const outcome = await ctx.call('iso/delete', { id }, { id: 'ISO_ID' });
    ctx.out.result(outcome);
    ctx.out.line(deletionLine(id, outcome));
    return EXIT.ok;
  },
};
