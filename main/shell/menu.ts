/** The application menu: standard roles plus ISO Desk's own items and shortcuts. */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import { PRODUCT } from '../version.js';
import type { ShellCommand } from '../ipc/contract.js';

export interface MenuActions {
  command(command: ShellCommand): void;
  openDataFolder(): void;
  about(): void;
}

export function installAppMenu(actions: MenuActions, devTools: boolean): void {
  const mac = process.platform === 'darwin';
  const about: MenuItemConstructorOptions = { label: `About ${PRODUCT}`, click: actions.about };
  const template: MenuItemConstructorOptions[] = [
    ...(mac
      ? [
          {
            label: PRODUCT,
            submenu: [
              about,
              { type: 'separator' },
              { role: 'services' },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit' },
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    {
      label: '&File',
      submenu: [
        { label: 'Upload ISO…', accelerator: 'CmdOrCtrl+U', click: () => actions.command({ command: 'upload' }) },
        { type: 'separator' },
        { label: 'Open Data Folder', click: actions.openDataFolder },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { label: 'Search', accelerator: 'CmdOrCtrl+K', click: () => actions.command({ command: 'search' }) },
        { label: 'Tasks', accelerator: 'CmdOrCtrl+J', click: () => actions.command({ command: 'tasks' }) },
        { type: 'separator' },
        ...(devTools ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] satisfies MenuItemConstructorOptions[]) : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    // On macOS About lives in the app menu, as the platform expects.
    {
      label: '&Help',
      submenu: [
        { label: 'Check Connection…', click: () => actions.command({ command: 'checkConnection' }) },
        ...(mac ? [] : ([{ type: 'separator' }, about] satisfies MenuItemConstructorOptions[])),
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
