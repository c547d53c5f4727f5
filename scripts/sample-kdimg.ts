// `npx tsx scripts/sample-kdimg.ts fw.kdimg`: writes the demo image the Flash screen offers with the virtual board.
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { sampleKdimg } from '../src-engine/flash/image/write-kdimg'

const out = resolve(process.argv[2] ?? 'fw.kdimg')
writeFileSync(out, sampleKdimg())
process.stdout.write(`${out}\n`)
