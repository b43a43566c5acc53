/** The tray (menu bar on macOS) icon: running task count in the tooltip/title, Open, Tasks and Quit. */
import { Menu, Tray, nativeImage } from 'electron';
import type { Task } from '../domain/models.js';
import type { AppEvents } from '../events/bus.js';
import { RunningTasks, trayTooltip } from './task-notices.js';

export interface TrayActions {
  open(): void;
  tasks(): void;
  quit(): void;
}

/** `iconPath` is a template image on macOS (adapts to light and dark menu bars). */
/** Answers a function that removes the icon and stops listening. */
export function createTray(iconPath: string, events: AppEvents, initialTasks: readonly Task[], actions: TrayActions): () => void {
  const tray = new Tray(nativeImage.createFromPath(iconPath));
  const running = new RunningTasks(initialTasks);
  const render = (): void => {
    tray.setToolTip(trayTooltip(running.count));
    // macOS shows a title next to the menu bar icon; elsewhere the tooltip carries the count.
    if (process.platform === 'darwin') tray.setTitle(running.count > 0 ? String(running.count) : '');
  };
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open ISO Desk', click: actions.open },
      { label: 'Tasks', click: actions.tasks },
      { type: 'separator' },
      { label: 'Quit', click: actions.quit },
    ]),
  );
  // Windows and Linux users expect a click on the icon to bring the window back.
  if (process.platform !== 'darwin') tray.on('click', actions.open);
  const off = events.on('tasks/changed', (event) => {
    if (running.apply(event)) render();
  });
  render();
  return () => {
    off();
    tray.destroy();
  };
}
