import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { renderJunit, recordDigest, maskRecord } from '@engine/report/index'
import { erroredRecord, failingRecord, passingRecord } from './fixtures/records'
import { hasTool } from './helpers/tools'

const XSD = join(__dirname, '../../resources/schema/junit.xsd')
const dir = mkdtempSync(join(tmpdir(), 'k230-junit-'))

function xmllint(xml: string, name: string): { ok: boolean; output: string } {
  const file = join(dir, name)
  writeFileSync(file, xml)
  const r = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' })
  return { ok: r.status === 0, output: r.stdout + r.stderr }
}

function count(xml: string, pattern: RegExp): number {
  return (xml.match(pattern) ?? []).length
}

describe.skipIf(!hasTool('xmllint'))('JUnit report', () => {
  it('passing, failing and errored records validate against resources/schema/junit.xsd', () => {
    for (const [name, record] of [['passing', passingRecord()], ['failing', failingRecord()], ['errored', erroredRecord()]] as const) {
      const result = xmllint(renderJunit(record), `${name}.xml`)
      expect(result.ok, result.output).toBe(true)
    }
  })

  it('the schema rejects a malformed report (testcase without a name, failure before properties)', () => {
    const bad = renderJunit(failingRecord()).replace('<testcase name="Flash firmware over USB"', '<testcase')
    expect(xmllint(bad, 'bad1.xml').ok).toBe(false)
    const swapped = renderJunit(failingRecord()).replace(/(<properties><property name="k230\.step\.id" value="drivers"\/>[^\n]*)\n\s*(<failure[^>]*>[^<]*<\/failure>)/, '$2$1')
    expect(swapped).not.toBe(renderJunit(failingRecord()))
    expect(xmllint(swapped, 'bad2.xml').ok).toBe(false)
  })

  it('one testcase per step: fail → failure with remediation, error/aborted → error, skipped → skipped', () => {
    const failing = renderJunit(failingRecord())
    expect(count(failing, /<testcase /g)).toBe(12)
    expect(count(failing, /<failure /g)).toBe(2)
    expect(count(failing, /<skipped /g)).toBe(6)
    expect(failing).toContain('failures="2" errors="0" skipped="6"')
    expect(failing).toMatch(/<failure message="Interfaces 2-4 have no driver[^"]*" type="option-vidpid-missing">Cause: The option USB-serial driver does not know the EC200A[^<]*\nFix: Nothing to change on the hardware[^<]*\nReference: Reference procedure § 2\.1\.2 /)
    const errored = renderJunit(erroredRecord())
    expect(errored).toMatch(/<error message="Link lost on \/dev\/ttyUSB0: read EIO" type="link-lost">/)
    expect(errored).toMatch(/<error message="Operator pressed Abort" type="aborted">/)
    expect(errored).toContain('errors="2"')
  })

  it('carries the ids in properties and the evidence excerpt in system-out', () => {
    const record = passingRecord()
    const xml = renderJunit(record)
    expect(xml).toContain('<property name="k230.unit.serial" value="K230-EVB-0042"/>')
    expect(xml).toContain('<property name="k230.unit.imei" value="868371050123456"/>')
    expect(xml).toContain('<property name="k230.unit.iccid" value="89860121801234567890"/>')
    expect(xml).toContain(`<property name="k230.record.digest" value="${recordDigest(maskRecord(record))}"/>`)
    expect(xml).toContain('<property name="k230.step.id" value="ecm.net"/>')
    expect(xml).toContain('<property name="measurement.Packet loss" value="0% [≤ 20%] pass"/>')
    expect(xml).toMatch(/<system-out>\$ ping -I usb0 -c 4 www\.163\.com\n4 packets transmitted/)
  })

  it('control characters from the console cannot make the XML invalid', () => {
    const record = failingRecord()
    record.steps[3].attempts[0].evidence.excerpt = 'bad \u0000\u0001\u001b[31m bytes ]]> & <tags>'
    record.steps[3].attempts[0].reason = 'quote " and \u0007 bell'
    const result = xmllint(renderJunit(record), 'controls.xml')
    expect(result.ok, result.output).toBe(true)
  })
})
