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
      '--iso NAME mounts the ISO, sets the boot device to CD and reboots. --disk unmounts the ISO, sets the boot device to disk and reboots. Each step is sent only once the previous one has ended, and each is recorded in the task journal before it is sent ("isodesk tasks" lists the job with its steps).',
      'Without --wait, boot returns once the last step is with HOSTKEY; with --wait, once it has ended. If a step fails, the job stops with HOSTKEY\u2019s message: "isodesk tasks retry|skip|cancel JOB" decides (skip suits a server that refuses to change its boot device). A step whose outcome is unknown is never sent again without your word.',
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
      await confirmed(
        ctx,
        input,
        flags,
        iso !== undefined
          ? `Boot ${server} from ${iso}? It mounts the ISO, sets the boot device to CD and reboots: the server will go down.`
          : `Bring ${server} back to its disk? It unmounts the ISO, sets the boot device to disk and reboots: the server will go down.`,
      );
      const job =
        iso !== undefined
          ? await ctx.call('jobs/bootIso', { server_id: serverId, iso_name: iso }, { server_id: '--server', iso_name: '--iso' })
          : await ctx.call('jobs/backToDisk', { server_id: serverId }, { server_id: '--server' });
      return followJob(ctx, input, job, flags.bool('wait'));
    },
  };
}
