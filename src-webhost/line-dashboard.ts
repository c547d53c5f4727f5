/** The browser host's line-dashboard route over the line database named by `K230_LINE_DB`; the server is migrated on first use and the password never reaches the page. */
import { dashboardHandler, migrate, openPg, type Sql } from '@engine/db/index'
import { renderDashboardError } from '@engine/db/dashboard-html'

/** A handler for the dashboard route, or undefined when no line database is configured. */
export function lineDashboardFromEnv(env: NodeJS.ProcessEnv): ((url: URL) => Promise<{ status: number; type: string; body: string }>) | undefined {
  const url = env.K230_LINE_DB
  if (!url) return undefined
  let ready: Promise<Sql> | undefined
  return async (request) => {
    ready ??= (async () => {
      const sql = openPg(url)
      await migrate(sql)
      return sql
    })()
    try {
      return await dashboardHandler(await ready)(request)
    } catch (error) {
      ready = undefined
      return { status: 503, type: 'text/html; charset=utf-8', body: renderDashboardError(error instanceof Error ? error.message : String(error), request.searchParams.get('lang') === 'zh-CN' ? 'zh-CN' : 'en') }
    }
  }
}
