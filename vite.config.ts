import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/** Builds the renderer into dist/renderer with relative URLs, so Electron can load it from file://. */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [svelte()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    rolldownOptions: {
      output: {
        codeSplitting: {
          // Everything the first paint runs in one chunk, in source order (zod-without-eval.ts
          // first); only the parts loaded with import() (renderer/src/lib/later-parts.ts) apart.
          groups: [{ name: 'first-paint', tags: ['$initial'] }],
        },
      },
    },
  },
});
