/**
 * Builds the timeline UI into web/dist, served by `callscribe serve` under /ui/. Preact's JSX goes
 * through esbuild's automatic runtime: no Babel, no framework plugin (decision 0008). Run as
 * `vite build web` so that web/ is the root.
 */
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes `name.gz` beside each JS/CSS asset, so the server sends gzip without compressing per
 * request (`@fastify/static` with `preCompressed`).
 */
function gzipAssets(): Plugin {
  return {
    name: 'callscribe-gzip-assets',
    apply: 'build',
    async generateBundle(_options, bundle) {
      const { gzipSync } = await import('node:zlib');
      for (const file of Object.values(bundle)) {
        if (!/\.(js|css)$/.test(file.fileName)) continue;
        const source = file.type === 'chunk' ? file.code : file.source;
        this.emitFile({
          type: 'asset',
          fileName: `${file.fileName}.gz`,
          source: gzipSync(source, { level: 9 }),
        });
      }
    },
  };
}

export default defineConfig({
  base: '/ui/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  plugins: [gzipAssets()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // One small bundle: the whole UI is a few tens of kB; splitting would only add round trips.
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
});
