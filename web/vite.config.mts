/**
 * The console's build: static files in web/dist, served by the hub at `/` (src/server/console.ts).
 * Nothing may load from another origin, and the hub's Content-Security-Policy allows no inline
 * script or style, so the build inlines nothing and preloads without the inline polyfill.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    // `npm run console:dev`: the hub on 4000 behind Vite's dev server, same origin for the browser.
    proxy: {
      '/graphql': { target: 'http://127.0.0.1:4000', ws: true },
      '/console/settings': 'http://127.0.0.1:4000',
      '/dev/token': 'http://127.0.0.1:4000',
    },
  },
});
