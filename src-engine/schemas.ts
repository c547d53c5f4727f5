/** The JSON Schema files the project publishes, each generated from its TypeBox source (scripts/write-schemas.ts writes them; a test keeps them equal). */
import type { TSchema } from '@sinclair/typebox'
import { PROFILE_SCHEMA } from './profile/schema'
import { RUN_RECORD_SCHEMA } from './report/record-schema'

/** Repository path of each published schema file and the TypeBox schema it is generated from. */
export const PUBLISHED_SCHEMAS: Readonly<Record<string, TSchema>> = {
  'resources/schema/run-record.schema.json': RUN_RECORD_SCHEMA,
  'resources/schema/profile.schema.json': PROFILE_SCHEMA,
}

/** The text of a published schema file: plain JSON (TypeBox's symbol tags drop out), two-space indent, final newline. Pure. */
export function schemaFileText(schema: TSchema): string {
  return JSON.stringify(schema, null, 2) + '\n'
}
