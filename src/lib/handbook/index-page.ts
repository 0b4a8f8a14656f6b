import {buildEntitleTfcOperatorUrl} from '../links/entitle.js'
import {buildTfcWorkspacesUrl, TFC_APP} from '../links/tfc.js'
import {headerComment, type PageHeaderOptions} from './header.js'
import {code, headingLink, link, MarkdownBuilder, text} from './markdown.js'
import {platformLinks} from './service-page.js'
import {serviceName} from '../spec/derived.js'
import type {HandbookSpec} from './spec-view.js'

/** Options of {@link renderIndexPage}: the header values (the index is always a handbook page). */
export type IndexPageOptions = PageHeaderOptions

const MANAGED_SERVICES_MD = '[`sourcegraph/managed-services`](https://github.com/sourcegraph/managed-services)'

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Renders the handbook's `index.md` (as the original published it): counts, one section per owner in byte
 * order (so "Customer Support" sorts before "cloud") listing that owner's services by id, then the
 * fixed general guidance.
 * @param specs - every service of the repo
 * @param options - the header values
 */
export function renderIndexPage(specs: readonly HandbookSpec[], options: IndexPageOptions = {}): string {
  const links = platformLinks(true)
  const envCount = specs.reduce((n, s) => n + (s.environments?.length ?? 0), 0)
  const md = new MarkdownBuilder()
  md.heading(1, 'Managed Services infrastructure')
  md.comment(headerComment(options))
  md.paragraph(
    `These pages contain generated operational guidance for the infrastructure of ` +
      `the ${specs.length} ${link('Managed Services Platform (MSP)', links.platform)} services (across ${envCount} environments) currently ` +
      `in operation at Sourcegraph.\n` +
      'This includes information about each service, configured environments, Entitle requests, common tasks, monitoring, custom documentation provided by ' +
      'service operators, and so on.\n' +
      `In addition to service-specific guidance, ${headingLink('General guidance')} is also available.`,
  )
  md.paragraph(
    `MSP is owned by ${link('Core Services', links.coreServices)}, but individual teams are responsible for the services they operate on the platform.`,
  )
  md.paragraph(`Services are defined in ${MANAGED_SERVICES_MD}, though service source code may live elsewhere.`)
  md.callout(
    'NOTE',
    'This page may be out of date if a service or environment was recently added or updated - reach out to #discuss-core-services for help updating these ' +
      'pages, or use `sg msp operations $SERVICE_ID` to view the generated documentation in your terminal.',
  )

  const byOwner = new Map<string, HandbookSpec[]>()
  for (const spec of specs) {
    for (const owner of spec.service.owners ?? []) byOwner.set(owner, [...(byOwner.get(owner) ?? []), spec])
  }
  for (const owner of [...byOwner.keys()].sort(byteOrder)) {
    md.heading(2, text(owner))
    md.paragraph(`Managed Services Platform services owned by ${code(owner)}:`)
    const services = [...byOwner.get(owner)!].sort((a, b) => byteOrder(a.service.id, b.service.id))
    md.bulletList(services.map((s) => link(text(serviceName(s)), `./${s.service.id}.md`)))
  }

  renderGeneralGuidance(md)
  return md.toString()
}

function renderGeneralGuidance(md: MarkdownBuilder): void {
  // Fixed text of the published index; its links are written as published (no link normaliser).
  const login = `[log in to Terraform Cloud](${TFC_APP})`
  md.heading(2, 'General guidance')
  md.heading(3, 'Infrastructure access')
  md.paragraph(
    'For MSP service environments other than `category: test`, access needs to be requested through Entitle.\n' +
      'Test environments are placed in the "Engineering Projects" GCP folder, which should have access granted to engineers by default.',
  )
  md.paragraph(
    'Entitle access to a production MSP project is generally provisioned through the `mspServiceReader` and `mspServiceEditor` custom GCP roles, which ' +
      'provide read-only and editing access respectively.\n' +
      'Convenience links for requesting these roles are available in the per-service operation pages above, based on each environment.',
  )
  md.paragraph('You can also choose to request access to an individual project in Entitle by following these steps:')
  md.bulletList([
    'Go to [app.entitle.io/request](https://app.entitle.io/request) and select **Specific Permission**',
    'Fill out the following:\n' +
      '  - Integration: **GCP Production Projects**\n' +
      '  - Resource types: **Project**\n' +
      '  - Resource: name of MSP project you are interested in\n' +
      '  - Role: `mspServiceReader` (or `mspServiceEditor` if you need additional privileges - use with care!)\n' +
      '  - Duration: choose your own adventure!',
  ])
  md.paragraph(
    'The custom roles used for MSP infrastructure access are [configured in ' +
      '`sourcegraph/infrastructure`](https://github.com/sourcegraph/infrastructure/blob/main/gcp/custom-roles/msp.tf).',
  )
  md.heading(3, 'Terraform Cloud access')
  md.paragraph(`Terraform Cloud (TFC) workspaces for MSP [can be found using the \`msp\` workspace tag](${buildTfcWorkspacesUrl()}).`)
  md.paragraph(
    `To gain access to MSP project TFC workspaces, ${login} and _then_ [request membership to the \`Managed Services Platform Operators\` TFC team via ` +
      `Entitle](${buildEntitleTfcOperatorUrl('index')}).\n` +
      'This TFC team has access to all MSP workspaces, and is [configured ' +
      'here](https://sourcegraph.sourcegraph.com/github.com/sourcegraph/infrastructure/-/blob/terraform-cloud/terraform.tfvars?L44:1-48:4).',
  )
  md.paragraph(
    `Note that you **must ${login} before making your Entitle request**.\n` +
      "If you make your Entitle request, then log in, you will be removed from any team memberships granted through Entitle by Terraform Cloud's SSO " +
      'implementation.',
  )
  md.paragraph('For more details, also see [creating and configuring services](https://github.com/sourcegraph/managed-services#operations).')
}
