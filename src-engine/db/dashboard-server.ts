import { createServer, type Server } from 'node:http'
import { dashboardData, type DashboardRange } from './dashboard'
import { readClock, zonedMidnight } from './line-clock'
import { renderDashboard, renderDashboardError } from './dashboard-html'
import type { DashboardLang } from './dashboard-i18n'
import type { Sql } from './sql'

/** The window a request asks for: `from`/`to` (ISO, or YYYY-MM-DD read as that day in the line's `zone`), the last 24 hours by default; `simulated=1` includes simulated units. Pure. */
export function rangeOf(params: URLSearchParams, now: Date, zone = 'UTC'): DashboardRange {
  const parse = (text: string | null, fallback: Date, edge: 'from' | 'to') => {
    if (!text) return fallback.toISOString()
    if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
      const start = edge === 'from' ? zonedMidnight(text, zone) : nextMidnight(text, zone)
      if (start === undefined) return fallback.toISOString()
      return edge === 'from' ? start : new Date(Date.parse(start) - 1).toISOString()
    }
    const ms = Date.parse(text)
    return Number.isNaN(ms) ? fallback.toISOString() : new Date(ms).toISOString()
  }
  return { from: parse(params.get('from'), new Date(now.getTime() - 86_400_000), 'from'), to: parse(params.get('to'), now, 'to'), includeSimulated: params.get('simulated') === '1' }
}

function nextMidnight(day: string, zone: string): string | undefined {
  const next = new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10)
  return zonedMidnight(next, zone)
}

/** Answers `/` (the page) and `/dashboard.json` (the same figures) over the line database; errors become a page naming the problem. */
export function dashboardHandler(sql: Sql, now: () => Date = () => new Date()) {
  return async (url: URL): Promise<{ status: number; type: string; body: string }> => {
    const lang: DashboardLang = url.searchParams.get('lang') === 'zh-CN' ? 'zh-CN' : 'en'
    const q = url.searchParams.get('q') ?? undefined
    try {
      const clock = await readClock(sql)
      const data = await dashboardData(sql, rangeOf(url.searchParams, now(), clock.timeZone), q, clock)
      if (url.pathname.endsWith('/dashboard.json')) return { status: 200, type: 'application/json', body: JSON.stringify(data) }
      return { status: 200, type: 'text/html; charset=utf-8', body: renderDashboard(data, lang, { q }) }
    } catch (error) {
      return { status: 503, type: 'text/html; charset=utf-8', body: renderDashboardError(error instanceof Error ? error.message : String(error), lang) }
    }
  }
}

/** Serves the dashboard on loopback (`host`, default 127.0.0.1) at `port` (0 picks one); resolves with the server and its port. */
export async function serveDashboard(sql: Sql, port: number, host = '127.0.0.1'): Promise<{ server: Server; port: number }> {
  const handle = dashboardHandler(sql)
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname !== '/' && url.pathname !== '/dashboard.json') {
      res.writeHead(404).end()
      return
    }
    void handle(url).then((r) => res.writeHead(r.status, { 'content-type': r.type, 'cache-control': 'no-store' }).end(r.body))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const address = server.address()
  return { server, port: typeof address === 'object' && address ? address.port : port }
}
