/**
 * Browser figures for `npm run bench`, measured in Chromium against the browser harness with
 * 100,000 ISOs in the cache:
 *  - time from harness start to the first catalog rows painted;
 *  - keystroke → updated list latency of a search (measured in the page, from the input event
 *    to the animation frame after the list's DOM changed);
 *  - frame times while the list scrolls smoothly (requestAnimationFrame deltas);
 * and, in the same run, the same rows in a plain table without virtualisation as the baseline.
 * Ratios are baseline / value: how many times better the app is than the plain table.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { IsoImage } from '../../main/domain/models.js';
import { startLocalApi, type LocalApi } from '../../main/local-api/server.js';
import { startWebHarness } from '../../main/web/server.js';
import { launchChromium, openPage } from '../e2e/support/chromium.js';
import { ensureRendererBuilt, RENDERER_DIR } from '../e2e/support/renderer-build.js';
import type { BenchRow } from './types.js';

const ISO_COUNT = 100_000;
const FRAME_BUDGET_MS = 1000 / 60;
const SEARCH_TARGET_MS = 50;
const SCROLL_MS = 4000;
/** Each keystroke narrows or widens the matches, so every one of them changes the list. */
const KEYSTROKES = ['1', '2', '3', '4', 'Backspace', 'Backspace', 'Backspace', 'Backspace', '7', '4', '0', 'Backspace', 'Backspace', 'Backspace',
  '9', '8', '1', '2', 'Backspace', 'Backspace', 'Backspace', 'Backspace', '5', '5', '3', 'Backspace', 'Backspace', 'Backspace'];
const BASELINE_URL = 'http://baseline.bench/';

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function compare(name: string, value: number, baseline: number, target?: number): BenchRow {
  return { name, value: round(value), baseline: round(baseline), ratio: round(baseline / value), ...(target === undefined ? {} : { target }) };
}

/** Records, in the page, when rows with content (not loading placeholders) are first painted. */
function watchFirstRows(): void {
  const w = window as unknown as { __firstRowsAt?: number };
  const hasRows = (): boolean => document.querySelector('[role="grid"] [role="row"] [role="gridcell"]:not([aria-busy="true"])') !== null;
  const observer = new MutationObserver(() => {
    if (!hasRows()) return;
    observer.disconnect();
    // The frame that paints them: the time is taken when its rendering starts.
    requestAnimationFrame(() => {
      w.__firstRowsAt = performance.timeOrigin + performance.now();
    });
  });
  observer.observe(document, { subtree: true, childList: true });
}

/**
 * Arms a one-shot measurement in the page: from the next input event on `inputSelector` to the
 * first animation frame after the list (`listSelector`) shows a different result.
 */
function armKeystroke(args: { inputSelector: string; listSignature: string }): void {
  const w = window as unknown as { __keystroke?: Promise<number | null> };
  const input = document.querySelector(args.inputSelector);
  // The signature function is passed as source text because page functions cannot close over Node values.
  const signature = new Function(`return (${args.listSignature})();`) as () => string;
  const before = signature();
  w.__keystroke = new Promise((resolve) => {
    let started = 0;
    const timeout = setTimeout(() => {
      observer.disconnect();
      resolve(null);
    }, 3000);
    const observer = new MutationObserver(() => {
      if (started === 0 || signature() === before) return;
      observer.disconnect();
      clearTimeout(timeout);
      requestAnimationFrame(() => resolve(performance.now() - started));
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    input?.addEventListener('input', () => (started = performance.now()), { once: true, capture: true });
  });
}

/** rAF deltas while `scrollerSelector` (or the document) scrolls smoothly for `durationMs`. */
async function scrollFrames(page: Page, scrollerSelector: string | null, durationMs: number): Promise<number[]> {
  return page.evaluate(
    ({ selector, duration }) =>
      new Promise<number[]>((resolve) => {
        const scroller = selector ? document.querySelector<HTMLElement>(selector) : (document.scrollingElement as HTMLElement);
        if (!scroller) throw new Error(`nothing to scroll at ${selector}`);
        const deltas: number[] = [];
        let last = performance.now();
        const end = last + duration;
        let nextPush = 0;
        const frame = (now: number): void => {
          deltas.push(now - last);
          last = now;
          // A new smooth scroll every 400 ms, alternating direction near the ends, like a user flicking.
          if (now >= nextPush) {
            const room = scroller.scrollHeight - scroller.clientHeight - scroller.scrollTop;
            scroller.scrollBy({ top: room > 6000 ? 4000 : -4000, behavior: 'smooth' });
            nextPush = now + 400;
          }
          if (now < end) requestAnimationFrame(frame);
          else resolve(deltas.slice(1));
        };
        requestAnimationFrame((now) => {
          last = now;
          requestAnimationFrame(frame);
        });
      }),
    { selector: scrollerSelector, duration: durationMs },
  );
}

async function searchLatencies(page: Page, inputSelector: string, listSignature: string): Promise<{ latencies: number[]; unchanged: number }> {
  const latencies: number[] = [];
  let unchanged = 0;
  await page.focus(inputSelector);
  for (const key of KEYSTROKES) {
    await page.evaluate(armKeystroke, { inputSelector, listSignature });
    await page.keyboard.press(key);
    const latency = await page.evaluate(() => (window as unknown as { __keystroke: Promise<number | null> }).__keystroke);
    if (latency === null) unchanged++;
    else latencies.push(latency);
    // A person types about 5 keys a second.
    await page.waitForTimeout(200);
  }
  return { latencies, unchanged };
}

/** What a person sees change in the app's list: the result count and the first row. */
const APP_LIST_SIGNATURE = `() => {
  const grid = document.querySelector('[role="grid"][aria-label="ISO images"]');
  const first = grid?.querySelector('[role="row"][aria-rowindex="2"]');
  return (grid?.getAttribute('aria-rowcount') ?? '') + '|' + (first?.textContent ?? '');
}`;

/** The same for the plain table: its visible-row count and first visible row. */
const TABLE_LIST_SIGNATURE = `() => {
  const table = document.getElementById('list');
  return table.dataset.visible + '|' + (table.querySelector('tbody tr:not([hidden])')?.textContent ?? '');
}`;

const GRID_SCROLLER = '[role="grid"][aria-label="ISO images"] [role="rowgroup"]:last-child';

/** Signs in and fills the cache with the server's 100,000 ISOs, the way the app does on first use. */
async function fillCache(page: Page, api: LocalApi): Promise<void> {
  const signedIn = await page.evaluate(
    (req) => window.isodesk!.session.signIn(req),
    { profile: 'bench', base_url: api.url, api_key: api.keys.client },
  );
  if (!signedIn.ok) throw new Error(`bench sign-in failed: ${signedIn.error.message}`);
  await page.reload();
  // The app picks its server and syncs the catalog; wait until every row is in the cache.
  await page.waitForFunction((count) => Number(document.querySelector('[role="grid"]')?.getAttribute('aria-rowcount') ?? 0) > count, ISO_COUNT, {
    timeout: 120_000,
  });
}

async function readAllRows(page: Page): Promise<IsoImage[]> {
  return page.evaluate(async () => {
    const api = window.isodesk!;
    const servers = await api.servers.list({});
    if (!servers.ok) throw new Error(servers.error.message);
    const picked = document.querySelector<HTMLSelectElement>('#server-picker')?.value;
    const serverId = Number(picked) || servers.value.items[0]!.id;
    const rows: IsoImage[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = await api.catalog.query({ server_id: serverId, offset, limit: 500 });
      if (!page.ok) throw new Error(page.error.message);
      rows.push(...page.value.rows);
      if (page.value.rows.length < 500) return rows;
    }
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** The baseline: every row in one plain table, filtered by hiding rows as you type. */
function plainTablePage(rows: IsoImage[]): string {
  const body = rows
    .map((r) => `<tr><td>${escapeHtml(r.name ?? '')}</td><td>${escapeHtml(r.iso_name)}</td><td>${escapeHtml(r.description)}</td><td>${r.size ?? ''}</td><td>${escapeHtml(r.created_at ?? '')}</td></tr>`)
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Plain table</title>
<style>body{font:14px system-ui;margin:0}table{border-collapse:collapse;width:100%}td{padding:8px 10px;border-bottom:1px solid #ddd;white-space:nowrap}</style>
<script>
  new MutationObserver((_, observer) => {
    if (document.querySelector('#list td')) {
      observer.disconnect();
      requestAnimationFrame(() => (window.__firstRowsAt = performance.timeOrigin + performance.now()));
    }
  }).observe(document, { subtree: true, childList: true });
</script></head>
<body><input id="search" aria-label="Search"><table id="list" data-visible="${rows.length}"><tbody>${body}</tbody></table>
<script>
  const table = document.getElementById('list');
  const rows = [...table.tBodies[0].rows];
  const texts = rows.map((r) => r.textContent.toLowerCase());
  document.getElementById('search').addEventListener('input', (e) => {
    const q = e.target.value.trim().toLowerCase();
    let visible = 0;
    rows.forEach((row, i) => {
      const show = texts[i].includes(q);
      row.hidden = !show;
      if (show) visible++;
    });
    table.dataset.visible = String(visible);
  });
</script></body></html>`;
}

export async function benchBrowser(): Promise<BenchRow[]> {
  await ensureRendererBuilt();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-bench-'));
  const api = await startLocalApi({ isoCount: ISO_COUNT, quiet: true });
  const browser = await launchChromium();
  const harnessOptions = { apiUrl: api.url, dataDir, rendererDir: RENDERER_DIR };
  try {
    const setup = await startWebHarness(harnessOptions);
    const first = await openPage(browser);
    await first.page.goto(setup.url);
    await fillCache(first.page, api);
    const rows = await readAllRows(first.page);
    await first.context.close();
    await setup.close();

    // The app, started again on the filled cache.
    const { context, page } = await openPage(browser);
    await page.addInitScript(watchFirstRows);
    const started = Date.now();
    const harness = await startWebHarness(harnessOptions);
    const navigated = Date.now();
    await page.goto(harness.url);
    const appFirstRows = await page.waitForFunction(() => (window as unknown as { __firstRowsAt?: number }).__firstRowsAt, undefined, { timeout: 60_000 });
    const firstRowsAt = Number(await appFirstRows.jsonValue());
    // Let the start-up refresh from HOSTKEY finish, so it does not run under the measurements.
    await page.waitForFunction((count) => Number(document.querySelector('[role="grid"]')?.getAttribute('aria-rowcount') ?? 0) > count, ISO_COUNT);
    await page.getByRole('button', { name: 'Refresh' }).and(page.locator('[aria-busy="false"]')).waitFor({ timeout: 60_000 });
    const appSearch = await searchLatencies(page, '#catalog-search', APP_LIST_SIGNATURE);
    await page.fill('#catalog-search', '');
    await page.waitForFunction((count) => Number(document.querySelector('[role="grid"]')?.getAttribute('aria-rowcount') ?? 0) > count, ISO_COUNT);
    const appFrames = await scrollFrames(page, GRID_SCROLLER, SCROLL_MS);
    await context.close();
    await harness.close();

    // The baseline: the same rows without virtualisation.
    const plain = await openPage(browser);
    await plain.page.route(BASELINE_URL, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: plainTablePage(rows) }));
    const plainNavigated = Date.now();
    await plain.page.goto(BASELINE_URL, { timeout: 120_000 });
    const plainFirstRows = await plain.page.waitForFunction(() => (window as unknown as { __firstRowsAt?: number }).__firstRowsAt, undefined, { timeout: 120_000 });
    const plainFirstRowsAt = Number(await plainFirstRows.jsonValue());
    const plainSearch = await searchLatencies(plain.page, '#search', TABLE_LIST_SIGNATURE);
    await plain.page.fill('#search', '');
    const plainFrames = await scrollFrames(plain.page, null, SCROLL_MS);
    await plain.context.close();

    const unchanged = appSearch.unchanged + plainSearch.unchanged;
    if (unchanged > 0) console.warn(`bench: ${unchanged} keystrokes did not change a list within 3 s and are left out`);
    return [
      { name: `browser: harness start → first catalog rows painted, ${rows.length} ISOs cached (ms)`, value: round(firstRowsAt - started) },
      compare('browser: page load → first rows painted (ms; baseline: plain table)', firstRowsAt - navigated, plainFirstRowsAt - plainNavigated),
      compare('browser: search keystroke → list updated p50 (ms)', percentile(appSearch.latencies, 50), percentile(plainSearch.latencies, 50)),
      compare('browser: search keystroke → list updated p95 (ms)', percentile(appSearch.latencies, 95), percentile(plainSearch.latencies, 95), SEARCH_TARGET_MS),
      compare('browser: scroll frame time p50 (ms)', percentile(appFrames, 50), percentile(plainFrames, 50)),
      compare('browser: scroll frame time p95 (ms)', percentile(appFrames, 95), percentile(plainFrames, 95), round(FRAME_BUDGET_MS)),
    ];
  } finally {
    await browser.close();
    await api.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
