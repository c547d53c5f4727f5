import { writePdf } from '@engine/report/index'
import { passingRecord } from './fixtures/records'
void (async () => {
  for (const n of [1000, 3000]) {
    const big = passingRecord()
    big.transcript = Array.from({ length: n }, (_, i) => ({ t: i * 10, dir: 'rx', text: `console output line ${i} with some text and numbers 0123456789` })) as typeof big.transcript
    const t = Date.now()
    try { await writePdf(big, `/tmp/big${n}.pdf`) } catch (e) { console.log('ERR', String(e).slice(0, 200)) }
    console.log(n, 'ms', Date.now() - t)
  }
})()
