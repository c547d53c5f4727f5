// Renders resources/icons/icon.svg to the PNG and ICO files electron-builder packages (run once after editing the SVG).
import { chromium } from 'playwright-core'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const dir = new URL('../resources/icons/', import.meta.url).pathname
const svg = readFileSync(join(dir, 'icon.svg'), 'utf8')
const browser = await chromium.launch({
  executablePath: process.env.K230_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
})
const pngs = {}
for (const size of [16, 32, 48, 64, 128, 256, 512]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } })
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('width="512" height="512"', `width="${size}" height="${size}"`)}</body></html>`)
  pngs[size] = await page.screenshot({ omitBackground: true })
  writeFileSync(join(dir, `${size}x${size}.png`), pngs[size])
  await page.close()
}
await browser.close()
writeFileSync(join(dir, 'icon.png'), pngs[512])

const sizes = [16, 32, 48, 256]
const header = Buffer.alloc(6 + 16 * sizes.length)
header.writeUInt16LE(0, 0)
header.writeUInt16LE(1, 2)
header.writeUInt16LE(sizes.length, 4)
let offset = header.length
sizes.forEach((size, i) => {
  const e = 6 + 16 * i
  header.writeUInt8(size === 256 ? 0 : size, e)
  header.writeUInt8(size === 256 ? 0 : size, e + 1)
  header.writeUInt16LE(1, e + 4)
  header.writeUInt16LE(32, e + 6)
  header.writeUInt32LE(pngs[size].length, e + 8)
  header.writeUInt32LE(offset, e + 12)
  offset += pngs[size].length
})
writeFileSync(join(dir, 'icon.ico'), Buffer.concat([header, ...sizes.map((s) => pngs[s])]))
console.log('icons written to', dir)
