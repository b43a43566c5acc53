/**
 * What closing the main window does. Tasks are followed by the main process, so the window can go
 * away without losing them:
 * - macOS: the app stays in the Dock and menu bar, as Mac apps do; Cmd+Q quits.
 * - Windows and Linux with a tray icon: the window hides to the tray; "Quit" in the tray or the
 *   File menu quits.
 * - Without a tray (some Linux desktops have none) closing quits, or the user could not get back.
 * Either way the task journal is in the cache, and tracking resumes on the next start.
 */
export type CloseAction = 'hide' | 'quit';

export function closeAction(platform: NodeJS.Platform, hasTray: boolean, quitting: boolean): CloseAction {
  if (quitting) return 'quit';
  if (platform === 'darwin' || hasTray) return 'hide';
  return 'quit';
}
