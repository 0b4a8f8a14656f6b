import type {Category} from '../spec/schema.js'

interface Roles {
  reader: string
  editor: string
  durationSeconds: number
}

const ROLES: Record<Category, Roles> = {
  test: {reader: 'df75bd5c-be18-428f-a366-c9aa550b0823', editor: 'c2d1508a-0d4e-4205-abee-8f5885df7d18', durationSeconds: 21_600},
  internal: {reader: '7843c1af-c561-4d32-a7e0-b6d664438303', editor: 'e12a2dd9-c65d-4c34-9f48-36353dff4092', durationSeconds: 10_800},
  external: {reader: 'a489c609-50ec-4803-b3f2-363dba1801ba', editor: '84356179-f902-405e-9a14-567a656c937f', durationSeconds: 10_800},
}

/** Entitle role of the "Managed Services Platform Operator" Terraform Cloud team. */
const TFC_OPERATOR_ROLE = 'b38732cc-8952-46cd-bb1e-ef268507226b'

/**
 * An Entitle request link: base64 of `{"duration","justification","roleIds":[…]}` with `=` as `%3D`.
 * @param options - role id, duration in seconds and the justification placeholder text
 */
export function buildEntitleRequestUrl(options: {roleId: string; durationSeconds: number; justification: string}): string {
  const {roleId, durationSeconds, justification} = options
  // Key order matters for byte-identical links: duration, justification, roleIds.
  const json = JSON.stringify({
    duration: String(durationSeconds),
    justification,
    roleIds: [{id: roleId, through: roleId, type: 'role'}],
  })
  return `https://app.entitle.io/request?data=${Buffer.from(json, 'utf8').toString('base64').replace(/=/g, '%3D')}`
}

/**
 * Read-only or write access to the GCP folder of an environment category.
 * @param category - the environment's category
 * @param access - "read" or "write"
 */
export function buildEntitleProjectAccessUrl(category: Category, access: 'read' | 'write'): string {
  const roles = ROLES[category]
  return buildEntitleRequestUrl({
    roleId: access === 'read' ? roles.reader : roles.editor,
    durationSeconds: roles.durationSeconds,
    justification: 'ENTER JUSTIFICATION HERE',
  })
}

/**
 * Membership of the TFC operator team. Service pages use the justification "JUSTIFICATION HERE",
 * the index page "ENTER JUSTIFICATION HERE" (as published).
 */
export function buildEntitleTfcOperatorUrl(page: 'service' | 'index'): string {
  return buildEntitleRequestUrl({
    roleId: TFC_OPERATOR_ROLE,
    durationSeconds: 3600,
    justification: page === 'service' ? 'JUSTIFICATION HERE' : 'ENTER JUSTIFICATION HERE',
  })
}
