/** The line dashboard (`k230-bringup dashboard --db URL`) in Chromium over a real PostgreSQL server shows the figures a direct SQL query gives. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createInterface } from 'node:readline'
import { expect, test } from '@playwright/test'
import pg from 'pg'

let seed: ChildProcessWithoutNullStreams | undefined
let dashboard: ChildProcessWithoutNullStreams | undefined
let url = ''
let page0 = ''

function firstLine(child: ChildProcessWithoutNullStreams, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.once('exit', (code) => reject(new Error(`${what} exited ${code}: ${err}`)))
    createInterface({ input: child.stdout }).once('line', resolve)
  })
}

test.beforeAll(async () => {
  test.setTimeout(240_000)
  seed = spawn('npx', ['tsx', 'test/db/seed-line.ts'], { stdio: 'pipe' })
  url = (JSON.parse(await firstLine(seed, 'seed')) as { url: string }).url
  dashboard = spawn('./bin/k230-bringup', ['dashboard', '--port', '0'], { stdio: 'pipe', env: { ...process.env, K230_LINE_DB: url } })
  const line = await firstLine(dashboard, 'dashboard')
  page0 = /http:\/\/127\.0\.0\.1:\d+\//.exec(line)?.[0] ?? ''
  expect(line).not.toContain('pg-S3cret')
})

test.afterAll(async () => {
  dashboard?.kill('SIGTERM')
  seed?.stdin.end()
  if (seed && seed.exitCode === null) await new Promise((done) => seed?.once('exit', done))
})

async function sql<T>(text: string): Promise<T[]> {
  const client = new pg.Client(url)
  await client.connect()
  try {
    return (await client.query(text)).rows as T[]
  } finally {
    await client.end()
  }
}

const WINDOW = 'from=2026-11-24&to=2026-11-24'

test('yield by station, failure Pareto and unit history match SQL; simulated units left out unless asked', async ({ page }) => {
  await page.goto(`${page0}?${WINDOW}`)
  await expect(page.getByRole('heading', { name: 'Line dashboard' })).toBeVisible()
  await expect(page.locator('svg').first()).toBeVisible()

  const stations = await sql<{ station: string; units: string; first_pass: string; final_pass: string }>(`
    SELECT station, count(*) AS units, count(*) FILTER (WHERE first_v = 'pass') AS first_pass, count(*) FILTER (WHERE last_v = 'pass') AS final_pass FROM (
      SELECT station, serial, (array_agg(verdict ORDER BY started_at))[1] AS first_v, (array_agg(verdict ORDER BY started_at DESC))[1] AS last_v
      FROM run WHERE NOT simulated GROUP BY station, serial) u GROUP BY station ORDER BY station`)
  expect(stations.map((s) => s.station)).toEqual(['LINE1-ST01', 'LINE1-ST02'])
  const rows = page.getByTestId('station-row')
  await expect(rows).toHaveCount(stations.length)
  for (const [i, s] of stations.entries()) {
    const row = rows.nth(i)
    await expect(row).toHaveAttribute('data-key', s.station)
    await expect(row).toHaveAttribute('data-units', s.units)
    await expect(row.getByTestId('station-fp')).toHaveText(`${((Number(s.first_pass) / Number(s.units)) * 100).toFixed(1)}%`)
    await expect(row.getByTestId('station-fy')).toHaveText(`${((Number(s.final_pass) / Number(s.units)) * 100).toFixed(1)}%`)
  }

  const steps = await sql<{ step_id: string; n: string }>(`SELECT s.step_id, count(*) AS n FROM step s JOIN run r ON r.id = s.run_id WHERE NOT r.simulated AND s.verdict IN ('fail','error','aborted') GROUP BY 1 ORDER BY 2 DESC, 1`)
  const bars = page.getByTestId('pareto-step-bar')
  await expect(bars).toHaveCount(Math.min(10, steps.length))
  for (const [i, s] of steps.slice(0, 10).entries()) {
    await expect(bars.nth(i)).toHaveAttribute('data-key', s.step_id)
    await expect(bars.nth(i)).toHaveAttribute('data-count', s.n)
  }

  await page.getByTestId('search').fill('sn13')
  await page.getByRole('button', { name: 'Find' }).click()
  const history = await sql<{ id: string }>(`SELECT id FROM run WHERE lower(serial) = 'sn13' ORDER BY started_at`)
  expect(history.length).toBe(2)
  await expect(page.getByTestId('history-row')).toHaveCount(2)
  for (const [i, h] of history.entries()) await expect(page.getByTestId('history-row').nth(i)).toHaveAttribute('data-run', h.id)
  await expect(page.getByTestId('history')).toContainText('LINE1-ST01')
  await expect(page.getByTestId('history')).toContainText('LINE1-ST02')

  await page.goto(`${page0}?${WINDOW}&simulated=1`)
  await expect(page.getByTestId('station-row')).toHaveCount(3)
})

test('the dashboard speaks Simplified Chinese', async ({ page }) => {
  await page.goto(`${page0}?${WINDOW}&lang=zh-CN`)
  await expect(page.getByRole('heading', { name: /产线看板/ })).toBeVisible()
  await expect(page.getByTestId('yield-station')).toContainText('各工位良率')
  await expect(page.getByTestId('durations').getByTestId('duration-row').first()).toBeVisible()
})
