import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/** Reads a fixture of test/parsers/fixtures verbatim. */
export function fixture(name: string): string {
  return readFileSync(join(__dirname, 'fixtures', name), 'utf8')
}
