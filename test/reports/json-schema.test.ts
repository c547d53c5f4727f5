import { describe, expect, it } from 'vitest'
import Ajv from 'ajv'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { canonicalJson, recordDigest, renderJson, validateRecord, SECRET_MASK } from '@engine/report/index'
import { en } from '../../src-shared/i18n/catalogue'
import { erroredRecord, failingRecord, FIXTURE_PASSWORD, passingRecord } from './fixtures/records'

const schema = JSON.parse(readFileSync(join(__dirname, '../../resources/schema/run-record.schema.json'), 'utf8'))
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema)

function shuffleKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, seed + 1))
  if (value && typeof value === 'object') {
    const keys = Object.keys(value)
    const order = keys.map((k, i) => [k, (i * 7919 + seed * 104729) % 1009] as const).sort((a, b) => a[1] - b[1])
    return Object.fromEntries(order.map(([k]) => [k, shuffleKeys((value as Record<string, unknown>)[k], seed + 3)]))
  }
  return value
}

describe('JSON report and schema', () => {
  it('names the product as the English catalogue does (the schema is a developer artefact, in English)', () => {
    expect(schema.title).toBe(`${en.product} run record`)
    expect(schema.$comment).toMatch(/developer artefact/)
  })

  const fixtures = { passing: passingRecord(), failing: failingRecord(), errored: erroredRecord() }

  for (const [name, record] of Object.entries(fixtures)) {
    it(`${name} record and its JSON report validate against the schema`, () => {
      expect(validate(record), JSON.stringify(validate.errors)).toBe(true)
      const rendered = JSON.parse(renderJson(record))
      expect(validate(rendered), JSON.stringify(validate.errors)).toBe(true)
      expect(rendered.schemaVersion).toBe(1)
      expect(rendered.digest).toBe(recordDigest(rendered))
      expect(rendered.profile.values.password).toBe(SECRET_MASK)
      expect(renderJson(record)).not.toContain(FIXTURE_PASSWORD)
    })
  }

  it('the JSON report is canonical: stable key order, rendering twice gives the same bytes', () => {
    const text = renderJson(passingRecord())
    expect(canonicalJson(JSON.parse(text))).toBe(text)
    expect(renderJson(passingRecord())).toBe(text)
    const keys = Object.keys(JSON.parse(text))
    expect(keys).toEqual([...keys].sort())
  })

  it('the digest ignores key order and the digest field, and follows every value', () => {
    const record = passingRecord()
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (seed) => {
        expect(recordDigest(shuffleKeys(record, seed) as typeof record)).toBe(recordDigest(record))
      }),
      { numRuns: 25 },
    )
    expect(recordDigest({ ...record, digest: 'x'.repeat(64) })).toBe(recordDigest(record))
    const changed = structuredClone(record)
    changed.steps[9].attempts[0].measurements[0].value = 1
    expect(recordDigest(changed)).not.toBe(recordDigest(record))
  })

  it('rejects a broken record with messages that name the field', () => {
    const bad = JSON.parse(JSON.stringify(failingRecord()))
    bad.steps[3].verdict = 'maybe'
    delete bad.unit.serial
    bad.startedAt = 'yesterday'
    const result = validateRecord(bad)
    expect(result.ok).toBe(false)
    const text = result.ok ? '' : result.problems.join('\n')
    expect(text).toContain('/steps/3/verdict')
    expect(text).toContain('/unit')
    expect(text).toContain('/startedAt')
    expect(validateRecord('not a record').ok).toBe(false)
  })
})
