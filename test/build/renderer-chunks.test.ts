/**
 * The built renderer's first paint: the script the window starts with (the entry and every chunk
 * it imports statically, which index.html preloads) carries what draws the first catalog rows,
 * not the dialogs, the other tabs' panels, the task drawer or an ISO's detail (later-parts.ts).
 * Each of those is still in the build, in a chunk the entry loads with import().
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt, RENDERER_DIR } from '../e2e/support/renderer-build.js';

/** Text only each later part shows (its source is the only one that holds it). */
const LATER_MARKERS: Record<string, string> = {
  UploadDialog: 'What the link points to',
  ShortcutsDialog: 'Keyboard shortcuts</caption>',
  ConnectionCheckDialog: 'Read-only calls to HOSTKEY',
  TaskCentre: 'Close tasks',
  IsoDetail: 'Close details (Esc)',
  UploadsPanel: 'Select every upload that can be deleted',
};

const read = (file: string): string => fs.readFileSync(path.join(RENDERER_DIR, file), 'utf8');

/** The entry script and, transitively, every chunk it imports statically (not import()). */
function firstPaintScripts(): string[] {
  const html = read('index.html');
  const entry = /<script type="module"[^>]*src="\.\/([^"]+)"/.exec(html)?.[1];
  if (!entry) throw new Error('index.html has no module script');
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = read(file);
    // Static imports, minified: `import{a as b}from"./x.js"` or `import"./x.js"`; import("./x.js") is left out.
    for (const m of code.matchAll(/\bimport\s*(?:[\w$*{}\s,]+?\bfrom\s*)?["']\.\/([^"']+\.js)["']/g)) visit(path.posix.join(path.posix.dirname(file), m[1]!));
  };
  visit(entry);
  return [...seen];
}

describe('the renderer build', () => {
  beforeAll(() => ensureRendererBuilt(), 120_000);

  it('keeps the later parts out of the first paint’s script, which is one file', () => {
    const first = firstPaintScripts();
    const firstCode = first.map(read).join('\n');
    const all = fs
      .readdirSync(path.join(RENDERER_DIR, 'assets'))
      .filter((f) => f.endsWith('.js'))
      .map((f) => `assets/${f}`);
    for (const [part, marker] of Object.entries(LATER_MARKERS)) {
      expect(firstCode, `${part} is in the first paint's script`).not.toContain(marker);
      const home = all.filter((f) => read(f).includes(marker));
      expect(home, `${part} is nowhere in the build`).toHaveLength(1);
      expect(first).not.toContain(home[0]);
    }
    // One file (vite.config.ts): no second request after the entry, and its modules run in source
    // order, zod-without-eval.ts before the first schema (a chunk of shared code would run first).
    expect(first).toHaveLength(1);
  });
});
