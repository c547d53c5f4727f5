/** Writes every published JSON Schema file from its TypeBox source: `npx tsx scripts/write-schemas.ts`. */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PUBLISHED_SCHEMAS, schemaFileText } from '../src-engine/schemas'

for (const [path, schema] of Object.entries(PUBLISHED_SCHEMAS)) {
  writeFileSync(join(import.meta.dirname, '..', path), schemaFileText(schema))
  process.stdout.write(`wrote ${path}\n`)
}
