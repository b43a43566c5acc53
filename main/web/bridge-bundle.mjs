/**
 * How bridge-client.ts becomes the code of /bridge.js, in one place for both ways of running the
 * harness: `npm run build:main` bundles it into dist/main/web.js, and the harness run from source
 * bundles it on first use.
 */
export const BRIDGE_CLIENT_OPTIONS = {
  bundle: true,
  write: false,
  format: 'iife',
  platform: 'browser',
  target: 'chrome120',
  minify: true,
  legalComments: 'none',
  logLevel: 'silent',
};

/** The client's code, given esbuild's `build` and the path of bridge-client.ts. */
export async function bundleBridgeClient(build, entry) {
  const result = await build({ ...BRIDGE_CLIENT_OPTIONS, entryPoints: [entry] });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no bridge script');
  return file.text;
}

/**
 * The contract's channel and event names, for /bridge.js: read at build time, so that the built
 * harness serves its bridge without loading the contract (and zod) while the page waits for it.
 */
export async function contractNames(build, contract) {
  const result = await build({
    entryPoints: [contract],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no contract module');
  const { CHANNELS, EVENTS } = await import(`data:text/javascript;base64,${Buffer.from(file.contents).toString('base64')}`);
  return { channels: Object.keys(CHANNELS), events: Object.keys(EVENTS) };
}
