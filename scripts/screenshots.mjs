// `npm run screenshots [-- spec filter]`: regenerates the README screenshots in docs/screenshots (Playwright project `screenshots`, browser host on the virtual board).
import { spawnSync } from 'node:child_process'

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'
const root = new URL('..', import.meta.url).pathname
const r = spawnSync(npx, ['playwright', 'test', ...process.argv.slice(2), '--project=screenshots'], { cwd: root, stdio: 'inherit', env: { ...process.env, K230_SCREENSHOTS: '1' } })
process.exit(r.status ?? 1)
