/**
 * Where an exported file goes in the desktop app: the system's save dialog, on the app window,
 * starting in the Downloads folder with the name the service suggests. The file is the user's
 * own record, so it is written readable by them only, like the rest of ISO Desk's data.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { app, dialog, type BrowserWindow, type SaveDialogOptions } from 'electron';

export async function saveFileAs(parent: BrowserWindow | null, suggestedName: string, content: string): Promise<string | null> {
  const extension = path.extname(suggestedName).slice(1);
  const options: SaveDialogOptions = {
    title: 'Export activity',
    defaultPath: path.join(app.getPath('downloads'), suggestedName),
    filters: [{ name: extension.toUpperCase(), extensions: [extension] }],
  };
  const chosen = parent && !parent.isDestroyed() ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
  if (chosen.canceled || !chosen.filePath) return null;
  await fs.writeFile(chosen.filePath, content, { mode: 0o600 });
  return chosen.filePath;
}
