import { randomBytes } from 'node:crypto'
import { defineConfig } from '@playwright/test'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// Chromium (Debian's) drives the real UI served by the browser host, which runs the real services on the virtual board.
const port = Number(process.env.K230_E2E_PORT ?? 5197)
// The browser host's per-launch secret: made here so the specs (test/e2e/app.ts appUrl) and the host share it.
process.env.K230_WEBHOST_TOKEN ||= randomBytes(32).toString('base64url')
// A fresh data and results folder per test server, never the user's own folders.
const dataDir = process.env.K230_E2E_DATA ?? join(tmpdir(), `k230-e2e-${port}-${process.pid}`)
process.env.K230_E2E_DATA = dataDir
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']

export default defineConfig({
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list'], ['json']] : 'list',
  use: { baseURL: `http://127.0.0.1:${port}/`, viewport: { width: 1366, height: 768 }, locale: 'en-US', acceptDownloads: true, trace: 'retain-on-failure' },
  projects: [
    {
      name: 'chromium',
      testDir: './test/e2e',
      use: { browserName: 'chromium', launchOptions: { executablePath: process.env.K230_CHROMIUM ?? '/usr/bin/chromium', args: chromiumArgs } },
    },
    { name: 'electron', testDir: './test/e2e-electron', testMatch: /.*\.e2e\.spec\.ts$/ },
    // README screenshots: only when asked for (npm run screenshots), never in the normal test run, since they rewrite docs/screenshots.
    ...(process.env.K230_SCREENSHOTS
      ? [{ name: 'screenshots', testDir: './test/screens', use: { browserName: 'chromium' as const, launchOptions: { executablePath: process.env.K230_CHROMIUM ?? '/usr/bin/chromium', args: chromiumArgs } } }]
      : []),
  ],
  webServer: {
    command: `npx vite build --config vite.web.config.ts --logLevel warn && npx tsx src-webhost/main.ts --port ${port} --time-scale 0.01 --data "${dataDir}"`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    env: { K230_WEBHOST_TOKEN: process.env.K230_WEBHOST_TOKEN, K230_FLASH_SIM: 'healthy', K230_FLASH_SIM_BOARDS: '2', K230_FLASH_SIM_TIMESCALE: '0.01' },
    stdout: 'pipe',
    stderr: 'pipe',
  },
})
