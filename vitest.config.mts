import { defineConfig } from 'vitest/config'
import { resolve } from 'node:path'

export default defineConfig({
  resolve: {
    alias: {
      '@shared': resolve(import.meta.dirname, 'src-shared'),
      '@engine': resolve(import.meta.dirname, 'src-engine'),
      '@board': resolve(import.meta.dirname, 'src-board'),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup/fast-check.ts', 'test/setup/virtual-board.ts'],
    exclude: ['test/e2e/**', 'test/e2e-electron/**', 'test/screens/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
})
