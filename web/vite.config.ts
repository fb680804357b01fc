// Builds the dashboard (web/) into dist/web, where src/http/routes/dashboard.ts serves it. Paths are
// resolved from this file, so the build works from any working directory. Asset names carry a content
// hash, which is what lets the server cache them for a year.

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = new URL('.', import.meta.url).pathname;

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: `${here}../dist/web`,
    emptyOutDir: true,
    assetsDir: 'assets',
    // Everything ships from this server: no CDN, no inline scripts (the Content-Security-Policy forbids them).
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
  },
  server: {
    // `vite --config web/vite.config.ts` for development against `greenlight serve` on its default port.
    proxy: { '/api': 'http://127.0.0.1:3000', '/simulator': 'http://127.0.0.1:3000' },
  },
});
