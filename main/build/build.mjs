/**
 * Bundles the main-process entry points with esbuild into dist/:
 *   dist/main/shell.js     Electron main process (ESM)
 *   dist/main/catalog-worker.js  the worker thread of catalog syncs (main/sync), beside the bundles that start it
 *   dist/preload/index.cjs sandboxed preload: one CommonJS file, zod inside, only `electron` required
 *   dist/main/cli.js       the `isodesk` command (when main/cli exists): what --help needs, and
 *   dist/main/cli-chunks/  the rest of it (the app, zod, undici), imported once a command runs
 *   dist/main/web.js       the browser harness (`node dist/main/web.js --data-dir DIR`, when main/web exists):
 *   dist/main/web-chunks/  the app behind it, imported once it listens
 *   dist/icons/            window and tray icons the shell loads at run time
 * The renderer is built by Vite into dist/renderer.
 *   node main/build/build.mjs [--out DIR]   (DIR replaces dist/, for tests of the build itself)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { bundleBridgeClient, contractNames } from '../web/bridge-bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values: flags } = parseArgs({ options: { out: { type: 'string' } }, strict: true });
const outDir = path.resolve(flags.out ?? path.join(root, 'dist'));
const at = (...parts) => path.join(root, ...parts);
const out = (...parts) => path.join(outDir, ...parts);

// Bundled CommonJS dependencies call require(); ESM output needs a real one.
const esmRequire = "import { createRequire as __isodeskRequire } from 'node:module'; const require = __isodeskRequire(import.meta.url);";
// Native modules and Electron itself come from node_modules / the runtime, never from the bundle.
const nodeExternals = ['electron', 'better-sqlite3', '@napi-rs/keyring'];

/** esbuild keeps an entry's own #! line first; add one only when the source has none. */
const hashbang = (entry) => (fs.existsSync(at(entry)) && fs.readFileSync(at(entry), 'utf8').startsWith('#!') ? '' : '#!/usr/bin/env node\n');

// Tells the code it runs from a bundle: what only running from source needs (esbuild) drops out.
const BUNDLED = { ISODESK_BUNDLED: 'true' };

const nodeEntry = (entry, outfile, { banner = esmRequire, define } = {}) => ({
  entryPoints: [at(entry)],
  outfile: out(outfile),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: nodeExternals,
  banner: { js: banner },
  define: { ...BUNDLED, ...define },
  sourcemap: true,
  logLevel: 'warning',
});

/**
 * What an entry split into chunks must not load before its dynamic import: parsing these is most
 * of a start-up (undici alone is 1 MB). A static import of any of them from a module the entry
 * imports would put them back, so the build refuses it.
 */
const LAZY = ['zod', 'undici', 'better-sqlite3', '@napi-rs/keyring'];

/** An entry whose dynamic imports are chunks of their own, in `chunks/` beside it. */
const splitEntry = (name, entry, chunks, { banner = esmRequire, define } = {}) => {
  const { outfile: _outfile, ...options } = nodeEntry(entry, `main/${name}.js`, { banner, define });
  return {
    ...options,
    entryPoints: { [name]: at(entry) },
    outdir: out('main'),
    splitting: true,
    chunkNames: `${chunks}/[name]-[hash]`,
    // The catalog worker is beside the entry, one folder up from the chunk that starts it.
    define: { ...options.define, ISODESK_WORKER_FROM_HERE: JSON.stringify('../catalog-worker.js') },
    // A quarter fewer bytes to compile at every start. Names are not kept (that costs a CLI start
    // 25 ms); --verbose turns source maps on, so its stack traces name the sources' functions.
    minify: true,
    metafile: true,
  };
};

/**
 * Node's built-ins through require(), not import: importing one builds its ESM facade, which reads
 * every export (node:crypto's getters load all of WebCrypto, node:fs's the streams), which a CLI start
 * pays for modules it uses two functions of. The bundle's own `require` (the banner's) does it instead.
 */
const builtinsByRequire = {
  name: 'builtins-by-require',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => (args.kind === 'import-statement' ? { path: args.path, namespace: 'node-builtin' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

/**
 * What a command that only reads the cache (`isodesk list --offline`) must not load: the HTTP client
 * and the OS keyring. Everything run-command.ts imports statically is parsed before any command runs.
 */
const NETWORK = ['undici', '@napi-rs/keyring'];

/**
 * Why `label` would load `packages` before it needs them; null when it would not. `from`: the source
 * whose static imports are followed (the entry when not given).
 */
const lazyProblem =
  (label, where, { packages = LAZY, from } = {}) =>
  (result) => {
    const eager = eagerIn(result.metafile, packages, from);
    return eager.length === 0 ? null : `${label} would load ${eager.join(', ')}. Import it only ${where}, dynamically, or as a type.`;
  };

// The harness listens before it opens the app (main/web/server.ts imports app-side.ts dynamically),
// serves its bridge script from code bundled here, never by running esbuild (which cannot run from
// inside a bundle), and finds the renderer beside dist/main.
const webEntry = async () =>
  splitEntry('web', 'main/web/cli.ts', 'web-chunks', {
    define: {
      ISODESK_BUILT_BRIDGE_CLIENT: JSON.stringify(await bundleBridgeClient(build, at('main/web/bridge-client.ts'))),
      ISODESK_BUILT_BRIDGE_NAMES: JSON.stringify(await contractNames(build, at('main/ipc/contract.ts'))),
      ISODESK_RENDERER_FROM_HERE: JSON.stringify('../renderer'),
    },
  });

// `isodesk --help` and a usage error load none of LAZY: main/cli/run.ts imports the app dynamically.
// better-sqlite3's JavaScript is bundled into the CLI's chunks (its binary is still loaded from
// node_modules, by the path run-command.ts names): resolving and loading its dozen CommonJS files one
// by one was a tenth of a cached read's start-up. `bindings`, its fallback binary finder, stays outside.
const cliEntry = () => {
  const options = splitEntry('cli', 'main/cli/index.ts', 'cli-chunks', { banner: `${hashbang('main/cli/index.ts')}${esmRequire}` });
  return {
    ...options,
    external: [...options.external.filter((name) => name !== 'better-sqlite3'), 'bindings'],
    plugins: [builtinsByRequire],
  };
};

/** Each of `packages` that the static imports of `source` (default: the entry) reach, with the chain of imports that reaches it. */
function eagerIn(metafile, packages, source) {
  const packageOf = (p) => packages.find((name) => p === name || p.includes(`node_modules/${name}/`));
  const entry = source
    ? Object.keys(metafile.inputs).find((input) => input.endsWith(source))
    : Object.values(metafile.outputs).find((o) => o.entryPoint).entryPoint;
  if (!entry) throw new Error(`build:main: ${source} is not part of the bundle`);
  const from = new Map([[entry, null]]);
  const found = [];
  for (const input of from.keys()) {
    for (const i of metafile.inputs[input]?.imports ?? []) {
      if (i.kind !== 'import-statement' || from.has(i.path)) continue;
      from.set(i.path, input);
      const name = packageOf(i.path);
      if (!name) continue;
      if (found.some((f) => f.name === name)) continue;
      const chain = [];
      for (let at = input; at; at = from.get(at)) chain.unshift(at);
      found.push({ name, chain });
    }
  }
  return found.map(({ name, chain }) => `${name} (${[...chain, name].join(' → ')})`);
}

const jobs = [
  {
    name: 'preload',
    options: {
      entryPoints: [at('preload/index.ts')],
      outfile: out('preload/index.cjs'),
      bundle: true,
      // Sandboxed preloads get a browser-like environment where require() only knows `electron`.
      platform: 'browser',
      format: 'cjs',
      target: 'chrome130',
      external: ['electron'],
      // Parsed on every window load; the contract pulls in all of zod.
      minify: true,
      sourcemap: true,
      logLevel: 'warning',
    },
  },
  { name: 'shell', options: nodeEntry('main/shell/main.ts', 'main/shell.js') },
  // Catalog syncs run here, off the main thread; every bundle above and below starts it from beside itself.
  { name: 'catalog worker', options: nodeEntry('main/sync/catalog-worker.ts', 'main/catalog-worker.js') },
  {
    name: 'cli',
    optional: 'main/cli/index.ts',
    options: cliEntry,
    file: out('main/cli.js'),
    executable: true,
    /** Why the output is not what it must be; null when it is. */
    problem: (result) =>
      lazyProblem('isodesk --help', 'where a command runs (main/cli/run-command.ts)')(result) ??
      lazyProblem('A command that reads the cache (isodesk list --offline)', 'where the network or the keyring is used', {
        packages: NETWORK,
        from: 'main/cli/run-command.ts',
      })(result),
  },
  {
    name: 'web',
    optional: 'main/web/cli.ts',
    options: webEntry,
    file: out('main/web.js'),
    problem: lazyProblem('The harness, before it listens,', 'in main/web/app-side.ts'),
  },
];

const ICONS = [
  ['main/shell/resources/icons/256x256.png', 'icon.png'],
  ['main/shell/resources/tray/tray.png', 'tray.png'],
  ['main/shell/resources/tray/tray@2x.png', 'tray@2x.png'],
  ['main/shell/resources/icons/32x32.png', 'tray-linux.png'],
  ['main/shell/resources/tray/trayTemplate.png', 'trayTemplate.png'],
  ['main/shell/resources/tray/trayTemplate@2x.png', 'trayTemplate@2x.png'],
];

const started = performance.now();
let failed = 0;
for (const job of jobs) {
  if (job.optional && !fs.existsSync(at(job.optional))) {
    console.log(`build:main: skipped ${job.name} (${job.optional} does not exist yet)`);
    continue;
  }
  const options = typeof job.options === 'function' ? await job.options() : job.options;
  // Chunk names carry a content hash: the last build's chunks would otherwise pile up beside the new ones.
  if (options.splitting) fs.rmSync(path.join(options.outdir, path.dirname(options.chunkNames)), { recursive: true, force: true });
  let result;
  try {
    result = await build(options);
  } catch {
    // esbuild has already printed the errors with their source locations; build the rest anyway.
    console.error(`build:main: ${job.name} failed`);
    failed += 1;
    continue;
  }
  const problem = job.problem?.(result) ?? null;
  if (problem) {
    console.error(`build:main: ${problem}`);
    failed += 1;
    continue;
  }
  const file = job.file ?? options.outfile;
  if (job.executable) fs.chmodSync(file, 0o755);
  const kb = (fs.statSync(file).size / 1024).toFixed(0);
  const chunks = options.splitting ? Object.keys(result.metafile.outputs).filter((o) => o.endsWith('.js') && path.resolve(o) !== file) : [];
  const split = chunks.length
    ? ` + ${chunks.length} chunks (${(chunks.reduce((sum, o) => sum + result.metafile.outputs[o].bytes, 0) / 1024).toFixed(0)} KiB) loaded as needed`
    : '';
  console.log(`build:main: ${path.relative(outDir, file)} (${kb} KiB)${split}`);
}
fs.mkdirSync(out('icons'), { recursive: true });
for (const [from, to] of ICONS) fs.copyFileSync(at(from), out('icons', to));
console.log(`build:main: icons (${ICONS.length} files), done in ${Math.round(performance.now() - started)} ms`);
if (failed > 0) process.exit(1);
