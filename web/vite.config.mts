/**
 * The console's build: static files in web/dist, served by the hub at `/` (src/server/console.ts).
 * Nothing may load from another origin, and the hub's Content-Security-Policy allows no inline
 * script or style, so the build inlines nothing and preloads without the inline polyfill.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/**
 * GraphiQL's stylesheet embeds its fonts as data: URLs, which the hub's CSP (font-src 'self')
 * refuses: the build drops those @font-face rules, and the explorer uses the system's fonts.
 */
function dropGraphiqlFonts(): Plugin {
  return {
    name: 'drop-graphiql-fonts',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]node_modules[\\/](graphiql|@graphiql[\\/][^\\/]+)[\\/].*\.css$/.test(id)) return;
      return { code: code.replace(/@font-face\s*\{[^}]*\}/g, ''), map: null };
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic' } },
  plugins: [dropGraphiqlFonts()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
    rolldownOptions: {
      // GraphiQL's dependencies mark their modules "use client" (React Server Components); a
      // browser-only bundle has no use for it, and the warning would drown out real ones.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
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
