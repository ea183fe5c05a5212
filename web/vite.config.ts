/** Builds the dashboard and the portal as two pages into dist/client (not dist/web: tsc compiles src/web there), which the Rollcall process serves (src/web). */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  build: {
    outDir: here('../dist/client'),
    emptyOutDir: true,
    // Served by Rollcall with a strict CSP (script-src 'self'): no inline scripts, no eval.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    rollupOptions: {
      input: { dashboard: here('dashboard.html'), portal: here('portal.html') },
    },
  },
});
