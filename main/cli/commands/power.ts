/** `isodesk power status|on|off|reboot --server ID`: the power state, and power actions as jobs. */
import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { formatTime } from '../format.js';
import { usageError } from '../options.js';
import { printable } from '../table.js';
import { JOB_WAIT_OPTION, PIN_DETAIL, PIN_OPTION, YES_OPTION, confirmed, describeServer, followJob, takePin, type JobCommandInput } from './job-report.js';

const ACTIONS = ['status', 'on', 'off', 'reboot'] as const;
type Action = (typeof ACTIONS)[number];

const QUESTION: Record<Exclude<Action, 'status'>, (server: string) => string> = {
  on: (server) => `Power on ${server}?`,
  off: (server) => `Power off ${server}? The server will go down and stay off.`,
  reboot: (server) => `Reboot ${server}? The server will go down and restart.`,
};

export function powerCommand(input: JobCommandInput): Command {
  return {
    name: 'power',
    summary: 'Show or change the power of a server (status, on, off, reboot)',
    usage: 'isodesk power status|on|off|reboot --server ID [--wait] [--yes] [--pin -]',
    details: [
      'status asks HOSTKEY for the power state now and prints it with HOSTKEY\u2019s own words. on, off and reboot are jobs of one step, recorded in the task journal ("isodesk tasks"); they ask for confirmation on a terminal and, without one, are refused unless --yes is given (exit 2).',
      'With --wait, once HOSTKEY has done the action, ISO Desk asks for the power state (with backoff, a few minutes at most) until HOSTKEY says the server is on (or off); if it never does, it says the state could not be confirmed (exit 6).',
      'A power action is never sent twice by itself: if HOSTKEY does not answer, the outcome is unknown and the job stops so you can check the server.',
      PIN_DETAIL,
    ],
    args: [{ name: 'ACTION', help: 'status, on, off or reboot' }],
    options: [{ name: 'server', value: 'ID', help: 'Server ID (see "isodesk servers")', required: true }, JOB_WAIT_OPTION, YES_OPTION, PIN_OPTION],
    async run(ctx, { flags, positionals }) {
      const action = positionals[0] as Action;
      if (!ACTIONS.includes(action)) throw usageError(`Unknown power action "${printable(positionals[0] ?? '')}": use status, on, off or reboot.`, 'power');
      const serverId = flags.int('server');
      await takePin(ctx, input, flags);
      if (action === 'status') {
        const status = await ctx.call('power/status', { server_id: serverId, refresh: true }, { server_id: '--server' });
        ctx.out.result(status);
        const said = status.text ? ` (HOSTKEY: \u201c${status.text}\u201d)` : '';
        ctx.out.line(printable(`${await describeServer(ctx, status.server_id)}: power ${status.power}${said}, read ${formatTime(status.read_at)}.`));
        if (status.job_key) ctx.out.line('HOSTKEY has not answered yet; "isodesk tasks --watch" shows when it does.');
        return EXIT.ok;
      }
      if (serverId === undefined) throw usageError('--server is required.', 'power');
      await confirmed(ctx, input, flags, QUESTION[action](await describeServer(ctx, serverId)));
      const job = await ctx.call('jobs/power', { server_id: serverId, action }, { server_id: '--server' });
      return followJob(ctx, input, job, flags.bool('wait'));
    },
  };
}
