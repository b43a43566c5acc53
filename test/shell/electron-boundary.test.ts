/**
 * Only the Electron glue in main/shell may import `electron`: the rest of main/ runs under plain
 * Node (tests, CLI, browser harness), and the shell's decision modules stay unit-testable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
// shell-events.ts imports Electron's types only, so the IPC tests can load it under Node.
const ELECTRON_GLUE = [
  'main.ts',
  'protocol.ts',
  'hardening.ts',
  'secret-store.ts',
  'window.ts',
  'ipc.ts',
  'tray.ts',
  'menu.ts',
  'notifications.ts',
  'shell-events.ts',
  'save-file.ts',
];

function sources(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mts|mjs|js|svelte)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

const importsElectron = (file: string) =>
  /from\s+['"]electron['"]|require\(\s*['"]electron['"]\s*\)|import\(\s*['"]electron['"]\s*\)/.test(fs.readFileSync(file, 'utf8'));

describe('electron imports', () => {
  it('appear nowhere in main/ outside main/shell', () => {
    const offenders = sources(path.join(root, 'main'))
      .filter((f) => !f.startsWith(path.join(root, 'main', 'shell') + path.sep))
      .filter(importsElectron);
    expect(offenders.map((f) => path.relative(root, f))).toEqual([]);
  });

  it("stay out of the shell's decision modules", () => {
    const pure = sources(path.join(root, 'main', 'shell')).filter((f) => !ELECTRON_GLUE.includes(path.relative(path.join(root, 'main', 'shell'), f)));
    expect(pure.length).toBeGreaterThan(10);
    expect(pure.filter(importsElectron).map((f) => path.relative(root, f))).toEqual([]);
  });
});
