/**
 * Renders main/shell/resources/icon.svg and tray-template.svg to every PNG size the installers and
 * the shell use, with Chromium (playwright-core), then packs the .ico and .icns. Run with
 * `npm run icons` after changing an SVG; the outputs are committed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { encodeIcns, encodeIco } from './icon-formats.js';

const resources = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../shell/resources');
const APP_SIZES = [16, 32, 48, 64, 128, 256, 512, 1024];
const ICO_SIZES = [16, 32, 48, 64, 128, 256];
const ICNS_SIZES = [16, 32, 64, 128, 256, 512, 1024];
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function render(page: Page, svg: string, size: number): Promise<Buffer> {
  await page.setViewportSize({ width: size, height: size });
  const dataUrl = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  await page.setContent(
    `<html><body style="margin:0;background:transparent"><img src="${dataUrl}" width="${size}" height="${size}" style="display:block"></body></html>`,
  );
  await page.waitForFunction(() => document.images[0]?.complete === true);
  return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
}

if (!fs.existsSync(CHROMIUM)) {
  console.error(`Chromium is needed to render the icons and was not found at ${CHROMIUM}. Install it or set CHROMIUM_PATH.`);
  process.exit(1);
}
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  const appSvg = fs.readFileSync(path.join(resources, 'icon.svg'), 'utf8');
  const pngs = new Map<number, Buffer>();
  for (const size of APP_SIZES) {
    const png = await render(page, appSvg, size);
    pngs.set(size, png);
    fs.writeFileSync(path.join(resources, 'icons', `${size}x${size}.png`), png);
  }
  const pick = (sizes: number[]) => sizes.map((size) => ({ data: pngs.get(size) as Buffer }));
  fs.writeFileSync(path.join(resources, 'icon.ico'), encodeIco(pick(ICO_SIZES)));
  fs.writeFileSync(path.join(resources, 'icon.icns'), encodeIcns(pick(ICNS_SIZES)));

  const traySvg = fs.readFileSync(path.join(resources, 'tray-template.svg'), 'utf8');
  fs.writeFileSync(path.join(resources, 'tray', 'trayTemplate.png'), await render(page, traySvg, 16));
  fs.writeFileSync(path.join(resources, 'tray', 'trayTemplate@2x.png'), await render(page, traySvg, 32));
  fs.copyFileSync(path.join(resources, 'icons', '16x16.png'), path.join(resources, 'tray', 'tray.png'));
  fs.copyFileSync(path.join(resources, 'icons', '32x32.png'), path.join(resources, 'tray', 'tray@2x.png'));
  console.log(`icons: ${APP_SIZES.length} PNGs, icon.ico, icon.icns and 4 tray images written to ${resources}`);
} finally {
  await browser.close();
}
