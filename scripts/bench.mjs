// `npm run bench`: runs every bench/*.ts script in turn and writes their summaries to bench/RESULTS.md.
import { spawnSync } from 'node:child_process'
import { readdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem, release, platform } from 'node:os'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const only = process.argv.slice(2)
const benches = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.ts') && !f.startsWith('_') && f !== 'soak.ts')
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort()

const rows = []
for (const file of benches) {
  console.log(`\n=== bench/${file}`)
  const started = Date.now()
  const r = spawnSync(process.execPath, ['--import', 'tsx', join('bench', file)], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, BENCH: '1' },
    timeout: 15 * 60_000,
  })
  process.stdout.write(r.stdout ?? '')
  process.stderr.write(r.stderr ?? '')
  const lines = (r.stdout ?? '').trim().split('\n').filter(Boolean)
  const summary = lines.filter((l) => /ratio|longest|ms|KB\/s|MB\/s|time/i.test(l)).slice(-4)
  rows.push({
    file,
    status: r.status === 0 ? 'ok' : `exit ${r.status ?? r.signal}`,
    seconds: ((Date.now() - started) / 1000).toFixed(1),
    summary: (summary.length ? summary : lines.slice(-2)).join('<br>').replaceAll('|', '\\|'),
  })
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()} ${release()}, Node ${process.version}`
const table = [
  '# Benchmark results',
  '',
  `Written by \`npm run bench\` on ${new Date().toISOString()}.`,
  `Machine: ${machine}.`,
  '',
  '| bench | status | wall s | figures |',
  '|---|---|---|---|',
  ...rows.map((r) => `| \`bench/${r.file}\` | ${r.status} | ${r.seconds} | ${r.summary} |`),
  '',
]
if (only.length === 0) writeFileSync(join(root, 'bench', 'RESULTS.md'), table.join('\n'))
console.log('\n' + table.join('\n'))
process.exit(rows.every((r) => r.status === 'ok') ? 0 : 1)
