/**
 * Builds the timeline UI into web/dist, served by `callscribe serve` under /ui/. Preact's JSX goes
 * through esbuild's automatic runtime: no Babel, no framework plugin (decision 0008). Run as
 * `vite build web` so that web/ is the root.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/ui/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // One small bundle: the whole UI is a few tens of kB; splitting would only add round trips.
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
});
