/** Mounting an ISO on a server and unmounting it. */
import type { Command } from '../command.js';
import { reportTask, WAIT_OPTION } from './task-report.js';

const SERVER_OPTION = { name: 'server', value: 'ID', help: 'Server ID (see "isodesk servers")', required: true };

export const mountCommand: Command = {
  name: 'mount',
  summary: 'Mount an ISO image on a server',
  options: [SERVER_OPTION, { name: 'iso', value: 'NAME', help: 'ISO file name (see "isodesk list")', required: true }, WAIT_OPTION],
  async run(ctx, { flags }) {
    const task = await ctx.call('iso/mount', { server_id: flags.int('server'), iso_name: flags.string('iso') }, { server_id: '--server', iso_name: '--iso' });
    return reportTask(ctx, task, flags.bool('wait'));
  },
};

export const unmountCommand: Command = {
  name: 'unmount',
  summary: 'Unmount the ISO image from a server',
  options: [SERVER_OPTION, WAIT_OPTION],
  async run(ctx, { flags }) {
    const task = await ctx.call('iso/unmount', { server_id: flags.int('server') }, { server_id: '--server' });
    return reportTask(ctx, task, flags.bool('wait'));
  },
};
