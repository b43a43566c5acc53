/** `isodesk boot --server ID --iso NAME | --disk`: "Boot from ISO" and "Back to disk" as jobs of three steps. */
import type { Command } from '../command.js';
import { usageError } from '../options.js';
import { JOB_WAIT_OPTION, PIN_DETAIL, PIN_OPTION, YES_OPTION, confirmed, describeServer, followJob, takePin, type JobCommandInput } from './job-report.js';

export function bootCommand(input: JobCommandInput): Command {
  return {
    name: 'boot',
    summary: 'Boot a server from an ISO (mount, boot device CD, reboot), or back from its disk',
    usage: 'isodesk boot --server ID (--iso NAME | --disk) [--wait] [--yes] [--pin -]',
    details: [
      '--iso NAME mounts the ISO, sets the boot device to CD and reboots. --disk unmounts the ISO, sets the boot device to disk and reboots. A server last read as off is powered on instead of rebooted (--iso) or left off (--disk); a boot device the server refused before, and whose step was skipped, is not asked for again. The confirmation lists the steps the job will run. Each step is sent only once the previous one has ended, and each is recorded in the task journal before it is sent ("isodesk tasks" lists the job with its steps).',
      'Without --wait, boot returns once the last step is with HOSTKEY; with --wait, once it has ended and, when the job rebooted or powered on the server, once HOSTKEY says the server is on: its power is read again with backoff (a few minutes at most), each reading printed; if HOSTKEY never says so, the state is reported as not confirmed (exit 6). If a step fails, the job stops with HOSTKEY\u2019s message: "isodesk tasks retry|skip|cancel JOB" decides (skip suits a server that refuses to change its boot device). A step whose outcome is unknown is never sent again without your word.',
      'The server reboots: boot asks for confirmation on a terminal and, without one, is refused unless --yes is given (exit 2).',
      PIN_DETAIL,
    ],
    options: [
      { name: 'server', value: 'ID', help: 'Server ID (see "isodesk servers")', required: true },
      { name: 'iso', value: 'NAME', help: 'ISO file name to boot from (see "isodesk list")' },
      { name: 'disk', help: 'Unmount the ISO and boot from the disk again' },
      JOB_WAIT_OPTION,
      YES_OPTION,
      PIN_OPTION,
    ],
    async run(ctx, { flags }) {
      const serverId = flags.int('server');
      const iso = flags.string('iso');
      const disk = flags.bool('disk');
      if ((iso === undefined) === !disk) throw usageError('Give either --iso NAME (boot from an ISO) or --disk (back to disk).', 'boot');
      if (serverId === undefined) throw usageError('--server is required.', 'boot');
      await takePin(ctx, input, flags);
      const server = await describeServer(ctx, serverId);
      // The steps the job will run on this server, as the app's confirmation lists them (jobs/plan).
      const plan = await ctx.call(
        'jobs/plan',
        { server_id: serverId, kind: iso !== undefined ? 'boot_iso' : 'back_to_disk', ...(iso !== undefined ? { iso_name: iso } : {}) },
        { server_id: '--server', iso_name: '--iso' },
      );
      const steps = plan.steps.map((s) => s.label);
      const down = plan.steps.some((s) => s.action === 'reboot' || s.action === 'on') ? ' The server will go down.' : '';
      const notes = plan.notes.length ? ` ${plan.notes.join(' ')}` : '';
      await confirmed(
        ctx,
        input,
        flags,
        `${iso !== undefined ? `Boot ${server} from ${iso}` : `Bring ${server} back to its disk`}? ${steps.map((s, i) => `${i + 1}. ${s}`).join('; ')}.${notes}${down}`,
      );
      const job =
        iso !== undefined
          ? await ctx.call('jobs/bootIso', { server_id: serverId, iso_name: iso, confirmed: steps }, { server_id: '--server', iso_name: '--iso' })
          : await ctx.call('jobs/backToDisk', { server_id: serverId, confirmed: steps }, { server_id: '--server' });
      return followJob(ctx, input, job, flags.bool('wait'));
    },
  };
}
