/**
 * Commands the shell sends to the renderer on EVENT_CHANNEL when the user picks a menu item, a
 * tray item or a notification: the renderer owns the dialogs and views they open.
 */
import { z } from 'zod';

export const SHELL_COMMAND_EVENT = 'shell/command';

export const ShellCommand = z.discriminatedUnion('command', [
  /** Menu "Upload ISO…" (Ctrl/Cmd+U): open the upload dialog. */
  z.object({ command: z.literal('upload') }),
  /** Menu "Search" (Ctrl/Cmd+K): focus the catalog search box. */
  z.object({ command: z.literal('search') }),
  /** Menu / tray "Tasks": show the tasks view. */
  z.object({ command: z.literal('tasks') }),
  /** A clicked notification: show the tasks view with this task selected. */
  z.object({ command: z.literal('openTask'), key: z.string() }),
]);
export type ShellCommand = z.output<typeof ShellCommand>;
