/** Every command of the CLI, in the order --help lists them. */
import type { Command } from '../command.js';
import { addCommand, delCommand, deleteCommand, updateCommand } from './admin.js';
import { historyCommand, listCommand, serversCommand } from './catalog.js';
import { mountCommand, unmountCommand } from './mounts.js';
import { loginCommand, logoutCommand, profilesCommand, whoamiCommand, type LoginInput } from './session.js';
import { tasksCommand } from './tasks.js';
import { powerCommand } from './power.js';
import { bootCommand } from './boot.js';
import { consoleCommand } from './console.js';
import { doctorCommand } from './doctor.js';
import { activityCommand } from './activity.js';
import { uploadCommand, uploadedCommand } from './uploads.js';

export function allCommands(input: LoginInput): Command[] {
  return [
    loginCommand(input),
    logoutCommand,
    whoamiCommand,
    profilesCommand,
    serversCommand,
    listCommand,
    historyCommand,
    uploadedCommand,
    uploadCommand(input),
    mountCommand,
    unmountCommand,
    addCommand,
    updateCommand,
    delCommand,
    deleteCommand,
    powerCommand(input),
    bootCommand(input),
    consoleCommand(input),
    tasksCommand(input),
    doctorCommand,
    activityCommand,
  ];
}
