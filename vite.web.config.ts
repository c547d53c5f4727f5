import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { resolve } from 'node:path'

// The renderer for the browser host: same app, with the WebSocket bridge in place of the Electron preload.
export default defineConfig({
  root: resolve(__dirname, 'src-renderer'),
  base: './',
  resolve: {
    alias: [
      { find: '@shared', replacement: resolve(__dirname, 'src-shared') },
      { find: /^\.\/platform$/, replacement: resolve(__dirname, 'src-webhost/bridge.ts') },
    ],
  },
  plugins: [vue()],
  build: { outDir: resolve(__dirname, 'out/web'), emptyOutDir: true, chunkSizeWarningLimit: 2000 },
})
