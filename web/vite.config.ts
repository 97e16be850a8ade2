import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The web interface: built into web/dist, which the server serves (src/adapters/http/web.ts). */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      output: {
        // echarts is large and changes seldom: its own chunk stays cached across releases.
        codeSplitting: { groups: [{ name: 'echarts', test: /node_modules[\\/](echarts|zrender)/ }] },
      },
    },
  },
  server: {
    // `npx vite web` during development: the API comes from `npm start` on port 3000.
    proxy: { '/api': 'http://localhost:3000' },
  },
});
