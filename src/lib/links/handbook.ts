/**
 * Where the operations documentation of a service lives: the public Markdown handbook (the May-2024
 * pages and the platform pages) and, in the final version, each service's Notion page. Every URL of
 * either site is built here.
 */

const HANDBOOK_ENGINEERING = 'https://handbook.sourcegraph.com/departments/engineering'
const HANDBOOK_MANAGED_SERVICES = `${HANDBOOK_ENGINEERING}/managed-services`
const NOTION_SITE = 'https://sourcegraph.notion.site'

/** The platform's own page and the Core Services team page of the public handbook. */
export const HANDBOOK_PLATFORM_PAGE_URL = `${HANDBOOK_ENGINEERING}/teams/core-services/managed-services/platform/`
export const HANDBOOK_CORE_SERVICES_URL = `${HANDBOOK_ENGINEERING}/teams/core-services/`

/** The generated operations page of a service in the public handbook (go/msp-ops/<svc>), with its trailing slash. */
export function handbookServicePageUrl(serviceId: string): string {
  return `${HANDBOOK_MANAGED_SERVICES}/${serviceId}/`
}

/** One environment's section of that page: `…/managed-services/<svc>#<env>` (no slash before the anchor, like the original's alert footer). */
export function handbookEnvironmentUrl(serviceId: string, envId: string): string {
  return `${HANDBOOK_MANAGED_SERVICES}/${serviceId}#${envId}`
}

/** The service's Notion page when the spec sets `notionPageID` (spec.NotionHandbookURL). */
export function notionPageUrl(service: {notionPageID?: string | undefined}): string | undefined {
  return service.notionPageID === undefined ? undefined : `${NOTION_SITE}/${service.notionPageID}`
}

/** spec.GetHandbookPageURL (final): the Notion page, or a placeholder naming the missing key. */
export function notionPageOrPlaceholder(service: {id: string; notionPageID?: string | undefined}): string {
  return notionPageUrl(service) ?? `<${service.id} service spec does not have a notionPageID configured for generated docs>`
}
