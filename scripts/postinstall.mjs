// After `npm ci`/`npm install`: says once, plainly, when the optional Electron runtime was skipped (blocked download) and what `npm start` will do.
import { existsSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
if (!existsSync(join(root, 'node_modules', 'electron', 'path.txt'))) {
  console.log('k230-bringup: the Electron runtime could not be installed here (download blocked or skipped); `npm start` runs the app in your browser instead.')
}
