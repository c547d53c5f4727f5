import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'
import { resolve } from 'node:path'

const alias = {
  '@shared': resolve(__dirname, 'src-shared'),
  '@engine': resolve(__dirname, 'src-engine'),
  '@board': resolve(__dirname, 'src-board'),
}

export default defineConfig({
  main: {
    resolve: { alias },
    build: { rollupOptions: { input: { index: resolve(__dirname, 'src-main/index.ts') } } },
  },
  preload: {
    resolve: { alias },
    // The sandboxed preload cannot require node_modules: the IPC schemas' TypeBox is bundled into it.
    build: { externalizeDeps: { exclude: ['@sinclair/typebox'] }, rollupOptions: { input: { index: resolve(__dirname, 'src-preload/index.ts') } } },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    resolve: { alias: { '@shared': alias['@shared'], '@renderer': resolve(__dirname, 'src-renderer') } },
    build: { rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } } },
    plugins: [vue()],
  },
})
