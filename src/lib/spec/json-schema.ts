/**
 * The editor JSON Schema of service.yaml (`schema/service.schema.json`, referenced by the
 * `# yaml-language-server: $schema=…` header), generated from the same zod schema the loader uses.
 *
 * It describes the spec *as written* (`io: 'input'`: defaulted keys are optional) and closes every
 * object (`additionalProperties: false`) so editors flag unknown keys. It is a help for editors, not
 * the validation authority: cross-field rules and Go's scalar coercion (`tag: 1.10` is a string to
 * the loader, a number to JSON Schema) are only in the loader.
 */
import {z} from 'zod'
import {SpecSchema} from './schema.js'

export const JSON_SCHEMA_ID = 'https://github.com/sourcegraph/managed-services/schema/service.schema.json'

/** Builds the JSON Schema (draft 2020-12) of service.yaml from the zod schema. */
export function buildJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(SpecSchema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as Record<string, unknown>
  const {$schema, ...rest} = generated
  return {
    $schema: $schema ?? 'https://json-schema.org/draft/2020-12/schema',
    $id: JSON_SCHEMA_ID,
    title: 'MSP service specification',
    ...rest,
  }
}
