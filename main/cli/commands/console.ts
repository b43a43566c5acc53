/** `isodesk console --server ID [--show-url]`: the server's noVNC console in the browser. */
import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { usageError } from '../options.js';
import { printable } from '../table.js';
import { PIN_DETAIL, PIN_OPTION, takePin, type JobCommandInput } from './job-report.js';

export function consoleCommand(input: JobCommandInput): Command {
  return {
    name: 'console',
    summary: 'Open the noVNC console of a server in your browser',
    details: [
      'Asks HOSTKEY for the console and opens it with your browser ($BROWSER when set). Its link holds a one-time password: ISO Desk never logs or stores it, and prints it only with --show-url (on stdout, for you to open or pass on knowingly).',
      PIN_DETAIL,
    ],
    options: [
      { name: 'server', value: 'ID', help: 'Server ID (see "isodesk servers")', required: true },
      { name: 'show-url', help: 'Print the console link instead of opening it (it is a secret)' },
      PIN_OPTION,
    ],
    async run(ctx, { flags }) {
      const serverId = flags.int('server');
      if (serverId === undefined) throw usageError('--server is required.', 'console');
      await takePin(ctx, input, flags);
      if (flags.bool('show-url')) {
        const url = await ctx.app.console.url(serverId);
        ctx.out.result({ server_id: serverId, url });
        ctx.out.line(url);
        ctx.out.note('This link holds a one-time password: anyone who has it can see and control the server\u2019s screen.');
        return EXIT.ok;
      }
      const opened = await ctx.call('console/open', { server_id: serverId, copy: false }, { server_id: '--server' });
      ctx.out.result(opened);
      ctx.out.line(printable(opened.message));
      return EXIT.ok;
    },
  };
}
