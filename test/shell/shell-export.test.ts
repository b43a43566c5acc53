/**
 * Exporting the activity timeline in the desktop app: the built shell (with the Electron double)
 * asks where to save with the system's save dialog, on the app window and in Downloads with the
 * suggested name, writes the file there readable by the user only, and writes nothing when the
 * dialog is closed. The call crosses the real preload and IPC wiring.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalApi, type LocalApi } from '../../main/local-api/server.js';
import { launchShell, newDataDir, prepareShell, removeDataDirs, signInAndPick, stopAll, type ShellProcess } from './support/shell-process.js';

let api: LocalApi;
let shell: ShellProcess;
let out: string;

beforeAll(async () => {
  await prepareShell();
  api = await startLocalApi({ quiet: true, taskDelayMs: 300 });
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-export-'));
  shell = launchShell({ dataDir: newDataDir(), apiUrl: api.url });
  await shell.ready();
  await signInAndPick(shell, api.keys.client);
}, 120_000);

afterAll(async () => {
  await stopAll();
  removeDataDirs();
  await api?.close();
  if (out) fs.rmSync(out, { recursive: true, force: true });
});

interface Exported {
  file_name: string;
  rows: number;
  saved_to: string | null;
  content: string | null;
  cancelled: boolean;
}

describe('activity export in the desktop app', () => {
  it('saves where the user chooses in the save dialog, readable by them only', async () => {
    const exporting = shell.value<Exported>('activity', 'export', { format: 'csv' });
    const state = await shell.until((s) => s.saveDialogs.some((d) => !d.answered), 'the save dialog');
    const asked = state.saveDialogs.find((d) => !d.answered)!;
    expect(asked).toMatchObject({ title: 'Export activity', extensions: ['csv'], parented: true });
    expect(path.basename(asked.defaultPath!)).toMatch(/^isodesk-activity-\d{8}-\d{4}\.csv$/);
    expect(path.dirname(asked.defaultPath!)).toBe(path.join(os.homedir(), 'Downloads'));
    const target = path.join(out, 'mine.csv');
    await shell.call('answerSaveDialog', { filePath: target });
    const saved = await exporting;
    expect(saved).toMatchObject({ saved_to: target, content: null, cancelled: false });
    expect(saved.rows).toBeGreaterThan(0);
    const lines = fs.readFileSync(target, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('time,kind,login,what,server_id,iso_id,iso_name,state,message,sources');
    expect(lines).toHaveLength(saved.rows + 1);
    expect(fs.statSync(target).mode & 0o777).toBe(0o600);
  });

  it('writes nothing when the dialog is closed', async () => {
    const exporting = shell.value<Exported>('activity', 'export', { format: 'json' });
    await shell.until((s) => s.saveDialogs.some((d) => !d.answered), 'the save dialog');
    await shell.call('answerSaveDialog', { filePath: null });
    expect(await exporting).toMatchObject({ saved_to: null, content: null, cancelled: true });
    expect(fs.readdirSync(out)).toEqual(['mine.csv']);
  });
});
