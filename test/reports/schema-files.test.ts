import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import Ajv from 'ajv'
import { PUBLISHED_SCHEMAS, schemaFileText } from '@engine/schemas'
import { validateRecord } from '@engine/report/index'
import { parseProfileText, ProfileError } from '@engine/profile/index'
import { passingRecord } from './fixtures/records'

const root = join(__dirname, '../..')

describe('published JSON Schema files are generated from the TypeBox sources', () => {
  it.each(Object.keys(PUBLISHED_SCHEMAS))('%s says what its TypeBox source says (regenerate with `npx tsx scripts/write-schemas.ts`)', (path) => {
    const committed: unknown = JSON.parse(readFileSync(join(root, path), 'utf8'))
    expect(committed).toEqual(JSON.parse(schemaFileText(PUBLISHED_SCHEMAS[path])))
    expect(() => new Ajv({ strict: true, strictTypes: false, allowUnionTypes: true }).compile(committed as object)).not.toThrow()
  })

  it('the record checker and the published record schema judge a record alike', () => {
    const published = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(join(root, 'resources/schema/run-record.schema.json'), 'utf8')))
    const good = JSON.parse(JSON.stringify(passingRecord()))
    const bad = { ...good, steps: [{ ...good.steps[0], verdict: 'maybe' }] }
    expect(validateRecord(good).ok).toBe(published(good))
    expect(validateRecord(bad)).toMatchObject({ ok: false, problems: [expect.stringContaining('/steps/0/verdict')] })
    expect(published(bad)).toBe(false)
  })

  it('the profile loader and the published profile schema judge a profile alike', () => {
    const published = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(join(root, 'resources/schema/profile.schema.json'), 'utf8')))
    const good = { $schema: './profile.schema.json', apn: 'CMNET', baud: 921600, ping: { count: 3 } }
    expect(published(good)).toBe(true)
    expect(parseProfileText(JSON.stringify(good), 'p.json')).toMatchObject({ apn: 'CMNET', baud: 921600, ping: { hosts: ['www.163.com'], count: 3 } })
    const bad = { baud: 115201 }
    expect(published(bad)).toBe(false)
    expect(() => parseProfileText(JSON.stringify(bad), 'p.json')).toThrow(ProfileError)
  })
})
