// Runs every tier that can run here and ends with one totals line taken from the runners' reports.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const resultsDir = join(root, '.vitest-results')
rmSync(resultsDir, { recursive: true, force: true })
mkdirSync(resultsDir, { recursive: true })
const only = process.argv.slice(2)
const want = (tier) => only.length === 0 || only.includes(tier)

function step(name, cmd, args, env = {}) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`)
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  const ok = r.status === 0
  console.log(`=== ${name}: ${ok ? 'ok' : `failed (exit ${r.status ?? r.signal})`}`)
  return ok
}

const failures = []
const totals = { passed: 0, failed: 0, skipped: 0 }
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'

if (want('typecheck')) {
  if (!step('type-check', npx, ['tsc', '-p', 'tsconfig.json', '--noEmit'])) failures.push('type-check')
  if (!step('type-check (renderer)', npx, ['vue-tsc', '-p', 'tsconfig.web.json', '--noEmit'])) failures.push('type-check (renderer)')
  if (!step('type-check (e2e)', npx, ['tsc', '-p', 'tsconfig.e2e.json', '--noEmit'])) failures.push('type-check (e2e)')
}
if (want('lint')) {
  if (!step('lint', npx, ['eslint', '.'])) failures.push('lint')
}

if (want('unit')) {
  const out = join(resultsDir, 'vitest.json')
  const ok = step('vitest', npx, ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`])
  if (existsSync(out)) {
    const r = JSON.parse(readFileSync(out, 'utf8'))
    totals.passed += r.numPassedTests
    totals.failed += r.numFailedTests
    totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0)
    if (!ok && r.numFailedTests === 0) failures.push('vitest (suite error)')
    const skippedNames = (r.testResults ?? []).flatMap((f) => (f.assertionResults ?? []).filter((a) => a.status === 'pending' || a.status === 'skipped' || a.status === 'todo').map((a) => `${f.name.replace(root, '')}: ${a.fullName}`))
    if (process.env.CI && skippedNames.length) {
      console.log(`\nUnder CI every Vitest test must run; ${skippedNames.length} skipped (a tool is missing or a test skips itself):\n  ${skippedNames.join('\n  ')}`)
      failures.push('vitest (tests skipped under CI)')
    }
  } else failures.push('vitest (no report)')
}

if (want('e2e') && existsSync(join(root, 'playwright.config.ts'))) {
  const out = join(resultsDir, 'playwright.json')
  const ok = step('playwright', npx, ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: out })
  if (existsSync(out)) {
    const s = JSON.parse(readFileSync(out, 'utf8')).stats
    totals.passed += s.expected + s.flaky
    totals.failed += s.unexpected
    totals.skipped += s.skipped
    if (!ok && s.unexpected === 0) failures.push('playwright (suite error)')
  } else failures.push('playwright (no report)')
}

if (failures.length) console.log(`\nFailed: ${failures.join(', ')}`)
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
process.exit(failures.length || totals.failed ? 1 : 0)
