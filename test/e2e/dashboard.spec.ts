/**
 * The line dashboard (`k230-bringup dashboard --db URL`) in Chromium over a real PostgreSQL server shows, in every panel, the figures a direct SQL query over the raw run and step tables gives
 * (test/db/raw-reference.ts, the queries as they were before the roll-ups). Each panel is read as a user reads it: the row labels, the percentages and values printed beside the bars, the bar tooltips and the key list;
 * the data attributes are checked too. Four windows: a whole day (daily roll-ups), one cut inside two hours (hourly roll-ups and raw edges), one inside one hour (raw runs only) and the whole day with simulated units.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createInterface } from 'node:readline'
import { expect, test, type Locator, type Page } from '@playwright/test'
import { DEFAULT_CLOCK, type LineClock } from '@engine/db/index'
import { rawDurations, rawPareto, rawUnitsPerHour, rawYieldBy } from '../db/raw-reference'
import { deliverExtraRecords, rawSql } from './dashboard-data'

let seed: ChildProcessWithoutNullStreams | undefined
let dashboard: ChildProcessWithoutNullStreams | undefined
let ref: Awaited<ReturnType<typeof rawSql>> | undefined
let page0 = ''
let dbUrl = ''
/** The line's clock the page is expected to read shifts and hours in (the default until the last test sets one). */
let lineClock: LineClock = DEFAULT_CLOCK

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
  const url = (JSON.parse(await firstLine(seed, 'seed')) as { url: string }).url
  dbUrl = url
  await deliverExtraRecords(url)
  ref = await rawSql(url)
  dashboard = spawn('./bin/k230-bringup', ['dashboard', '--port', '0'], { stdio: 'pipe', env: { ...process.env, K230_LINE_DB: url } })
  const line = await firstLine(dashboard, 'dashboard')
  page0 = /http:\/\/127\.0\.0\.1:\d+\//.exec(line)?.[0] ?? ''
  expect(line).not.toContain('pg-S3cret')
})

test.afterAll(async () => {
  await ref?.close()
  dashboard?.kill('SIGTERM')
  seed?.stdin.end()
  if (seed && seed.exitCode === null) await new Promise((done) => seed?.once('exit', done))
})

function reference(): NonNullable<typeof ref> {
  if (!ref) throw new Error('no database connection: beforeAll failed')
  return ref
}

interface Window {
  from: string
  to: string
  includeSimulated: boolean
}

const DAY: Window = { from: '2026-11-24T00:00:00.000Z', to: '2026-11-24T23:59:59.999Z', includeSimulated: false }

/** What the page prints beside a yield bar: the share in percent, one decimal; a dash for no units. */
const pct = (part: number, whole: number) => (whole ? `${((part / whole) * 100).toFixed(1)}%` : '—')
/** What the page prints for a duration: seconds, one decimal. */
const sec = (ms: number) => (ms / 1000).toFixed(1)

/** Opens the dashboard over `query` and checks the window it says it shows (the From and To fields, the simulated box). */
async function open(page: Page, query: string, w: Window): Promise<void> {
  await page.goto(`${page0}?${query}`)
  await expect(page.getByRole('heading', { name: 'Line dashboard' })).toBeVisible()
  await expectWindow(page, w)
}

async function expectWindow(page: Page, w: Window): Promise<void> {
  await expect(page.getByLabel('From', { exact: true })).toHaveValue(w.from)
  await expect(page.getByLabel('To', { exact: true })).toHaveValue(w.to)
  await expect(page.getByLabel('Include simulated units')).toBeChecked({ checked: w.includeSimulated })
}

async function expectAttributes(rows: Locator, expected: Array<Record<string, string>>): Promise<void> {
  await expect(rows).toHaveCount(expected.length)
  for (const [i, attrs] of expected.entries()) for (const [name, value] of Object.entries(attrs)) await expect(rows.nth(i), `row ${i} ${name}`).toHaveAttribute(name, value)
}

/** A panel whose SQL answer is empty says so instead of drawing a chart. */
async function expectEmpty(section: Locator): Promise<void> {
  await expect(section.locator('svg')).toHaveCount(0)
  await expect(section).toContainText('No runs in this window.')
}

/** Yield by station, shift or hour: per row the label "KEY (N units)" and the first-pass and final yield printed beside the two bars, in key order. */
async function expectYield(page: Page, w: Window, group: 'station' | 'shift' | 'hour'): Promise<void> {
  const want = await rawYieldBy(reference(), w, group, lineClock)
  const section = page.getByTestId(`yield-${group}`)
  if (!want.length) return expectEmpty(section)
  const rows = section.getByTestId(`${group}-row`)
  await expect(rows.locator('text.label')).toHaveText(want.map((r) => `${r.key} (${r.units} units)`))
  await expect(rows.getByTestId(`${group}-fp`)).toHaveText(want.map((r) => pct(r.firstPass, r.units)))
  await expect(rows.getByTestId(`${group}-fy`)).toHaveText(want.map((r) => pct(r.finalPass, r.units)))
  await expectAttributes(rows, want.map((r) => ({ 'data-key': r.key, 'data-units': String(r.units), 'data-first-pass': String(r.firstPass), 'data-final-pass': String(r.finalPass) })))
}

/** Failure Pareto by step or remediation code: per bar the tooltip "KEY: N", the count printed above it and the axis label (the key, cut to 7 characters and '…' when longer than 8), then the key list "KEY — N"; most frequent first, ties by key, top 10. */
async function expectPareto(page: Page, w: Window, by: 'step' | 'code'): Promise<void> {
  const want = await rawPareto(reference(), w, by)
  const section = page.getByTestId(by === 'step' ? 'pareto-steps' : 'pareto-codes')
  if (!want.length) return expectEmpty(section)
  const bars = section.getByTestId(`pareto-${by}-bar`)
  await expect(bars.locator('title')).toHaveText(want.map((r) => `${r.key}: ${r.count}`))
  await expect(bars.locator('text.val')).toHaveText(want.map((r) => String(r.count)))
  await expect(bars.locator('text.tick')).toHaveText(want.map((r) => (r.key.length > 8 ? `${r.key.slice(0, 7)}…` : r.key)))
  await expect(section.getByRole('listitem')).toHaveText(want.map((r) => `${r.key} — ${r.count}`))
  await expectAttributes(bars, want.map((r) => ({ 'data-key': r.key, 'data-count': String(r.count) })))
}

/** Step durations: per step (plan order) its name and "p50 / p90 / p99 s" in seconds; the data attributes in whole ms. */
async function expectDurations(page: Page, w: Window): Promise<void> {
  const want = await rawDurations(reference(), w)
  const section = page.getByTestId('durations')
  if (!want.length) return expectEmpty(section)
  const rows = section.getByTestId('duration-row')
  await expect(rows.locator('text.label')).toHaveText(want.map((r) => r.step))
  await expect(rows.locator('text.val')).toHaveText(want.map((r) => `${sec(r.p50)} / ${sec(r.p90)} / ${sec(r.p99)} s`))
  await expectAttributes(rows, want.map((r) => ({ 'data-step': r.step, 'data-p50': r.p50.toFixed(0), 'data-p90': r.p90.toFixed(0), 'data-p99': r.p99.toFixed(0) })))
}

/** Units per hour: per station its name and the rate printed beside the bar (one decimal); the data attribute with two. */
async function expectRates(page: Page, w: Window): Promise<void> {
  const want = await rawUnitsPerHour(reference(), w)
  const section = page.getByTestId('rates')
  if (!want.length) return expectEmpty(section)
  const rows = section.getByTestId('rate-row')
  await expect(rows.locator('text.label')).toHaveText(want.map((r) => r.station))
  await expect(rows.locator('text.val')).toHaveText(want.map((r) => r.perHour.toFixed(1)))
  await expectAttributes(rows, want.map((r) => ({ 'data-station': r.station, 'data-per-hour': r.perHour.toFixed(2) })))
}

/** Every chart panel of the page against the raw SQL over the same window. */
async function expectAllPanels(page: Page, w: Window): Promise<void> {
  for (const group of ['station', 'shift', 'hour'] as const) await test.step(`yield by ${group}`, () => expectYield(page, w, group))
  for (const by of ['step', 'code'] as const) await test.step(`failure Pareto by ${by}`, () => expectPareto(page, w, by))
  await test.step('step duration percentiles', () => expectDurations(page, w))
  await test.step('units per hour', () => expectRates(page, w))
}

test('a whole day (daily roll-ups): every panel shows what SQL over the raw runs gives', async ({ page }) => {
  // The data is not trivial: the reference has retests that change a unit's verdict in every grouping, two failure codes per step and beyond, and interpolated percentiles.
  const sql = reference()
  const stations = await rawYieldBy(sql, DAY, 'station')
  expect(stations.map((s) => s.key)).toEqual(['LINE1-ST01', 'LINE1-ST02'])
  for (const group of ['station', 'shift', 'hour'] as const) expect((await rawYieldBy(sql, DAY, group)).some((r) => r.firstPass !== r.finalPass), group).toBe(true)
  expect((await rawPareto(sql, DAY, 'code')).length).toBeGreaterThan(2)
  const usb = (await rawDurations(sql, DAY)).find((d) => d.step === 'usb')
  expect(usb?.p90).toBeCloseTo(992, 6) // between the runs at 920 and 1000 ms
  await open(page, 'from=2026-11-24&to=2026-11-24', DAY)
  await expectAllPanels(page, DAY)
})

test('a window cut inside two hours (hourly roll-ups and raw edges): every panel shows what SQL gives', async ({ page }) => {
  const w: Window = { from: '2026-11-24T09:05:00.000Z', to: '2026-11-24T14:15:00.000Z', includeSimulated: false }
  await open(page, `from=${w.from}&to=${w.to}`, w)
  await expectAllPanels(page, w)
})

test('a window inside one hour (raw runs only; no failures, so both Pareto panels say so): every panel shows what SQL gives', async ({ page }) => {
  const w: Window = { from: '2026-11-24T10:05:00.000Z', to: '2026-11-24T10:50:00.000Z', includeSimulated: false }
  expect(await rawPareto(reference(), w, 'step')).toEqual([])
  await open(page, `from=${w.from}&to=${w.to}`, w)
  await expectAllPanels(page, w)
})

test('simulated units are left out unless asked; asked, every panel counts them as SQL does', async ({ page }) => {
  await open(page, 'from=2026-11-24&to=2026-11-24', DAY)
  await expect(page.getByTestId('station-row')).toHaveCount(2)
  await page.getByLabel('Include simulated units').check()
  await page.getByRole('button', { name: 'Find' }).click()
  const w: Window = { ...DAY, includeSimulated: true }
  await expectWindow(page, w)
  expect((await rawYieldBy(reference(), w, 'station')).map((s) => s.key)).toEqual(['LINE1-ST01', 'LINE1-ST02', 'LINE1-ST09'])
  await expectAllPanels(page, w)
})

interface HistoryRow {
  id: string
  started_at: Date
  station: string | null
  serial: string
  verdict: string
  causes: string | null
}

/** Unit search: the history table lists every run of the unit (any window, any purpose, simulated only when asked) oldest first, with station, serial, verdict and causes as SQL has them. */
async function expectHistory(page: Page, q: string): Promise<void> {
  await page.getByTestId('search').fill(q)
  await page.getByRole('button', { name: 'Find' }).click()
  const want = (
    await reference().query<HistoryRow>(
      `SELECT r.id, r.started_at, r.station, r.serial, r.verdict, (SELECT string_agg(s.step_id || ':' || s.cause, ' ' ORDER BY s.ordinal) FROM step s WHERE s.run_id = r.id AND s.cause IS NOT NULL) AS causes
       FROM run r WHERE (lower(r.serial) = $1 OR lower(r.imei) = $1 OR lower(r.iccid) = $1) AND NOT r.simulated ORDER BY r.started_at, r.id`,
      [q.toLowerCase()],
    )
  ).rows
  expect(want.length).toBeGreaterThan(1)
  await expect(page.getByRole('heading', { name: `History of ${q}` })).toBeVisible()
  const rows = page.getByTestId('history-row')
  await expectAttributes(rows, want.map((h) => ({ 'data-run': h.id })))
  for (const [i, h] of want.entries())
    await expect(rows.nth(i).getByRole('cell')).toHaveText([new Date(h.started_at).toISOString(), h.station ?? '', h.serial, h.verdict.toUpperCase(), h.causes ?? '-'])
}

test('unit search by serial and by IMEI shows the unit history SQL gives', async ({ page }) => {
  await open(page, 'from=2026-11-24&to=2026-11-24', DAY)
  await expectHistory(page, 'sn13')
  await expect(page.getByTestId('history')).toContainText('LINE1-ST01')
  await expect(page.getByTestId('history')).toContainText('LINE1-ST02')
  // SN17's IMEI: its production run and its support run (which no panel counts) both belong to its history.
  await expectHistory(page, '868300000000017')
  await expectWindow(page, DAY)
})

test('the dashboard speaks Simplified Chinese', async ({ page }) => {
  await page.goto(`${page0}?from=2026-11-24&to=2026-11-24&lang=zh-CN`)
  await expect(page.getByRole('heading', { name: /产线看板/ })).toBeVisible()
  await expect(page.getByTestId('yield-station')).toContainText('各工位良率')
  await expect(page.getByTestId('durations').getByTestId('duration-row').first()).toBeVisible()
})

test("the line's own clock (k230-bringup shifts): a typed day is the line's local day, shifts and hours are read in its zone, and every panel still shows what SQL gives", async ({ page }) => {
  const clock: LineClock = { timeZone: 'Asia/Shanghai', shifts: [{ name: '早班', start: '08:00' }, { name: '中班', start: '16:00' }, { name: '夜班', start: '00:00' }] }
  const set = spawn('./bin/k230-bringup', ['shifts', '--zone', clock.timeZone, ...clock.shifts.flatMap((s) => ['--shift', `${s.name}=${s.start}`])], { stdio: 'pipe', env: { ...process.env, K230_LINE_DB: dbUrl } })
  let out = ''
  set.stdout.on('data', (d: Buffer) => (out += d.toString()))
  const code = await new Promise<number | null>((done) => set.once('exit', done))
  expect(code, out).toBe(0)
  lineClock = clock
  const w: Window = { from: '2026-11-23T16:00:00.000Z', to: '2026-11-24T15:59:59.999Z', includeSimulated: false }
  await open(page, 'from=2026-11-24&to=2026-11-24', w)
  await expect(page.getByTestId('shift-clock')).toHaveText('Shifts in Asia/Shanghai: 夜班 00:00–08:00 · 早班 08:00–16:00 · 中班 16:00–00:00')
  await expect(page.getByTestId('hour-zone')).toHaveText('Hours in Asia/Shanghai')
  // The line ran 09:00–16:00 UTC, 17:00–24:00 in Shanghai: the late shift, and every hour label eight hours on from UTC's.
  expect((await rawYieldBy(reference(), w, 'shift', clock)).map((r) => r.key)).toEqual(['中班'])
  const plus8 = (label: string) => new Date(Date.parse(`${label.replace(' ', 'T')}:00Z`) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ').replace(/\d\d$/, '00')
  expect((await rawYieldBy(reference(), w, 'hour', clock)).map((r) => r.key)).toEqual((await rawYieldBy(reference(), w, 'hour')).map((r) => plus8(r.key)))
  await expectAllPanels(page, w)
})
