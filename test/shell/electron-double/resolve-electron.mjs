/**
 * Module resolution hook for the shell's child process: `electron` (and its `electron/main`
 * alias) resolves to the Electron double instead of the package, whose index.js would look for the
 * binary. Registered by electron-main.ts with the double's URL.
 */
let doubleUrl = '';

export function initialize(data) {
  doubleUrl = data.doubleUrl;
}

export function resolve(specifier, context, next) {
  if (specifier === 'electron' || specifier === 'electron/main') return { url: doubleUrl, shortCircuit: true };
  return next(specifier, context);
}
