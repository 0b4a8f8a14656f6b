import {UserError} from '../io/errors.js'
import {buildEntitleProjectAccessUrl, buildEntitleTfcOperatorUrl} from '../links/entitle.js'
import {
  buildAlertPoliciesUrl,
  buildCloudRunUrl,
  buildCloudSqlUrl,
  buildDashboardsUrl,
  buildLogsUrl,
  buildRedisUrl,
  buildRolloutPipelineUrl,
  buildTracesUrl,
} from '../links/gcp.js'
import {domainUrl} from '../links/domain.js'
import {buildServiceFileUrl, buildSourceCodeUrl} from '../links/github.js'
import {HANDBOOK_CORE_SERVICES_URL, HANDBOOK_PLATFORM_PAGE_URL} from '../links/handbook.js'
import {buildSentryUrl, sentryProjectSlug} from '../links/sentry.js'
import {buildSlackChannelUrl, slackAlertsChannel, TFC_ALERTS_CHANNEL} from '../links/slack.js'
import {buildHandbookTfcEnvUrl, handbookTfcEnvTag, TFC_APP} from '../links/tfc.js'
import {bigQueryDatasetID, bigQueryProjectOverride, dnsName, rolloutPipelineName, serviceKind, serviceName} from '../spec/derived.js'
import {serviceSpecFile} from '../spec/layout.js'
import type {Category} from '../spec/schema.js'
import type {PageAlertPolicy} from './alerts.js'
import {headerComment, type PageHeaderOptions} from './header.js'
import {bold, code, headingLink, link, MarkdownBuilder, text} from './markdown.js'
import {diagramFileName} from './diagram.js'
import {cloudflareProxied, hasServiceSettings, type HandbookEnvironment, type HandbookSpec} from './spec-view.js'

/** Options of {@link renderServicePage}. */
export interface ServicePageOptions extends PageHeaderOptions {
  /** Handbook mode: relative links into the handbook and the full header comment. Default false (terminal). */
  handbook?: boolean
  /** The README body (title line removed, trimmed); empty or undefined means no README section. */
  readme?: string
}

const MANAGED_SERVICES_MD = '[`sourcegraph/managed-services`](https://github.com/sourcegraph/managed-services)'
const TOOLING_SETUP_URL = 'https://github.com/sourcegraph/managed-services/blob/main/README.md'
// The original's Cloud Deploy pipelines were always in us-central1 in May 2024 (locations came later).
const ROLLOUT_REGION = 'us-central1'

/** Where the platform and Core Services pages are: relative inside the handbook, absolute in a terminal. */
export function platformLinks(handbook: boolean): {platform: string; coreServices: string} {
  return handbook
    ? {platform: '../teams/core-services/managed-services/platform.md', coreServices: '../teams/core-services/index.md'}
    : {
        platform: HANDBOOK_PLATFORM_PAGE_URL,
        coreServices: HANDBOOK_CORE_SERVICES_URL,
      }
}

const ENTITLE_FOLDER: Record<Category, {read: string; write: string}> = {
  test: {read: 'Engineering Projects', write: 'Engineering Projects'},
  internal: {read: 'Internal Services', write: 'Internal Services'},
  // "Managed Services " with a trailing space is how the published pages read; kept for byte identity.
  external: {read: 'Managed Services ', write: 'Managed Services'},
}

function entitleLink(category: string, access: 'read' | 'write'): string {
  // The loader only lets the three categories through; this guards hand-built specs (bench, tests).
  if (!Object.hasOwn(ENTITLE_FOLDER, category))
    throw new UserError(`unknown environment category "${category}"`, {hint: 'category must be test, internal or external'})
  const cat = category as Category
  const folder = ENTITLE_FOLDER[cat][access]
  const text = access === 'read' ? `Read-only Entitle request for the '${folder}' folder` : `Write access Entitle request for the '${folder}' folder`
  return link(text, buildEntitleProjectAccessUrl(cat, access))
}

/**
 * Renders the operations page of one service (as the original's operationdocs.go renders it) from its spec and its merged
 * alert policies; pure, so the same input always gives the same bytes.
 * @param spec - the service spec
 * @param alertPolicies - the merged alert policies of all environments (see mergeAlertPolicies)
 * @param options - handbook mode, README body and the header values
 */
export function renderServicePage(spec: HandbookSpec, alertPolicies: readonly PageAlertPolicy[], options: ServicePageOptions = {}): string {
  const id = spec.service.id
  // Spec text reaches the page escaped (see markdown.ts text): a name cannot inject HTML or links.
  const name = text(serviceName(spec))
  const envs = spec.environments ?? []
  const links = platformLinks(options.handbook ?? false)
  const md = new MarkdownBuilder()

  md.heading(1, `${name} infrastructure operations`)
  md.comment(headerComment(options.handbook ? options : {revision: options.revision}))
  md.paragraph(
    `This document describes operational guidance for ${name} infrastructure.\n` +
      `This service is operated on the ${link('Managed Services Platform (MSP)', links.platform)}.`,
  )
  md.callout(
    'IMPORTANT',
    `If this is your first time here, you must follow the ${link("sourcegraph/managed-services 'Tooling setup' guide", TOOLING_SETUP_URL)} as well to ` +
      `clone the service definitions repository and set up the prerequisite tooling.`,
  )
  md.paragraph(`If you need assistance with MSP infrastructure, reach out to the ${link('Core Services', links.coreServices)} team in #discuss-core-services.`)

  renderOverview(md, spec)
  renderReadme(md, id, options.readme)
  renderRollout(md, spec)

  md.heading(2, 'Environments')
  for (const env of envs) renderEnvironment(md, spec, env)

  md.heading(2, 'Alert Policies')
  md.paragraph("The following alert policies are defined for each of this service's environments.")
  for (const alert of alertPolicies) {
    md.heading(4, text(alert.displayName))
    md.codeBlock('md', alert.description)
    md.paragraph(`Severity: ${alert.severity}`)
  }
  return md.toString()
}

function renderOverview(md: MarkdownBuilder, spec: HandbookSpec): void {
  const id = spec.service.id
  const repo = spec.build?.source?.repo ?? ''
  const dir = spec.build?.source?.dir ?? ''
  md.heading(2, 'Service overview')
  md.table(
    ['Property', 'Details'],
    [
      ['Service ID', `${code(id)} (${link('specification', buildServiceFileUrl(id, 'service.yaml'))})`],
      ['Owners', (spec.service.owners ?? []).map(bold).join(', ')],
      ['Service kind', serviceKind(spec) === 'job' ? 'Cloud Run job' : 'Cloud Run service'],
      ['Environments', (spec.environments ?? []).map((e) => headingLink(e.id)).join(', ')],
      ['Docker image', code(spec.build?.image ?? '')],
      ['Source code', sourceCodeCell(repo, dir)],
    ],
  )
}

/**
 * The source link: the repo is used verbatim (a scheme in it gives "https://https://…" as published)
 * and the visible text keeps the raw dir while the URL gets the cleaned one. The link is written only
 * when it is an `https:` URL to the host the repo names (no `javascript:`, no `evil.example@…`).
 */
function sourceCodeCell(repo: string, dir: string): string {
  const label = `${code(repo)} - ${code(dir)}`
  const url = buildSourceCodeUrl(repo, dir)
  const named = repo.split('/')[0]!.replace(/:\d*$/, '').toLowerCase()
  let host: string | undefined
  try {
    host = new URL(url).hostname
  } catch {
    host = undefined
  }
  return host !== undefined && host === named ? link(label, url) : label
}

function renderReadme(md: MarkdownBuilder, id: string, readme: string | undefined): void {
  const body = readme?.trim()
  if (!body) return
  md.comment(`Automatically generated from the service README: ${buildServiceFileUrl(id, 'README.md')}`)
  // A plain line-prefix rule, as in the original: it also shifts `##` lines inside code fences.
  md.raw(
    body
      .split('\n')
      .map((l) => (l.startsWith('##') ? `#${l}` : l))
      .join('\n'),
  )
}

function renderRollout(md: MarkdownBuilder, spec: HandbookSpec): void {
  const stages = spec.rollout?.stages
  if (!spec.rollout || !stages || stages.length === 0) return
  const envs = spec.environments ?? []
  const last = envs.find((e) => e.id === stages[stages.length - 1]!.environment)
  md.heading(2, 'Rollouts')
  const pipeline = rolloutPipelineName(spec.service.id, ROLLOUT_REGION)
  md.table(
    ['Property', 'Details'],
    [
      [
        'Delivery pipeline',
        link(code(pipeline), buildRolloutPipelineUrl({serviceId: spec.service.id, region: ROLLOUT_REGION, projectId: last?.projectID ?? ''})),
      ],
      ['Stages', stages.map((s) => headingLink(s.environment)).join(' -> ')],
    ],
  )
  md.paragraph(
    `Changes to ${text(serviceName(spec))} are continuously delivered to the first stage (${headingLink(stages[0]!.environment)}) of the delivery pipeline.`,
  )
  if (stages.length > 1) {
    md.paragraph('Promotion of a release to the next stage in the pipeline must be done manually using the GCP Delivery pipeline UI.')
  }
}

function resourceHeadings(env: HandbookEnvironment): string[] {
  const r = env.resources
  const out: string[] = []
  if (r?.redis != null) out.push(`${env.id} Redis`)
  if (r?.postgreSQL != null) out.push(`${env.id} PostgreSQL instance`)
  if (r?.bigQueryDataset != null) out.push(`${env.id} BigQuery dataset`)
  return out
}

function renderEnvironment(md: MarkdownBuilder, spec: HandbookSpec, env: HandbookEnvironment): void {
  const id = spec.service.id
  const kind = serviceKind(spec)
  const p = env.projectID
  const sentry = link(`Sentry ${code(sentryProjectSlug(id, env.id))}`, buildSentryUrl(id, env.id))
  const runUrl = buildCloudRunUrl({projectId: p, kind})

  md.heading(3, env.id)
  const rows: string[][] = [
    ['Project ID', link(code(p), runUrl)],
    ['Category', bold(env.category)],
    ['Deployment type', code(env.deploy?.type ?? '')],
    ['Resources', resourceHeadings(env).map(headingLink).join(', ')],
    ['Slack notifications', link(`#${slackAlertsChannel(id, env.id)}`, buildSlackChannelUrl(id, env.id))],
    ['Alert policies', `${link('GCP Monitoring alert policies list', buildAlertPoliciesUrl(p))}, ${link('Dashboard', buildDashboardsUrl(p))}`],
    ['Errors', sentry],
  ]
  if (hasServiceSettings(env)) {
    const dns = dnsName(env)
    // The URL API decides: only an https: URL to exactly this DNS name becomes a link, so spec text cannot smuggle another target into the page.
    const url = domainUrl(env)
    if (dns && url) {
      rows.push(['Domain', link(dns, url)])
      if (cloudflareProxied(env)) rows.push(['Cloudflare WAF', '✅'])
    }
    if (env.authentication != null) {
      rows.push(['Authentication', env.authentication.sourcegraph ? 'sourcegraph.com GSuite users' : 'Restricted'])
    }
  }
  md.table(['Property', 'Details'], rows)

  md.paragraph(
    'MSP infrastructure access needs to be requested using Entitle for time-bound privileges.' +
      (env.category === 'test' ? ' Test environments may have less stringent requirements.' : ''),
  )
  md.table(
    ['Access', 'Entitle request template'],
    [
      ['GCP project read access', entitleLink(env.category, 'read')],
      ['GCP project write access', entitleLink(env.category, 'write')],
    ],
  )
  md.paragraph(`For Terraform Cloud access, see ${headingLink(`${env.id} Terraform Cloud`)}.`)

  md.heading(4, `${env.id} Cloud Run`)
  // "service" also for jobs: the published job pages read that way.
  md.paragraph(`The ${text(serviceName(spec))} ${env.id} service implementation is deployed on ${link('Google Cloud Run', 'https://cloud.google.com/run')}.`)
  md.table(
    ['Property', 'Details'],
    [
      ['Console', link(`Cloud Run ${kind}`, runUrl)],
      ['Service logs', link('GCP logging', buildLogsUrl({projectId: p, kind}))],
      ['Service traces', link('Cloud Trace', buildTracesUrl(p))],
      ['Service errors', sentry],
    ],
  )
  md.paragraph('You can also use `sg msp` to quickly open a link to your service logs:')
  md.codeBlock('bash', `sg msp logs ${id} ${env.id}`)

  renderResources(md, spec, env)

  md.heading(4, `${env.id} Architecture Diagram`)
  md.paragraph(`![Architecture Diagram](./${diagramFileName(id, env.id)})`)

  renderTerraformCloud(md, id, env.id)
}

function renderResources(md: MarkdownBuilder, spec: HandbookSpec, env: HandbookEnvironment): void {
  const id = spec.service.id
  const p = env.projectID
  const r = env.resources
  if (r?.redis != null) {
    md.heading(4, `${env.id} Redis`)
    md.table(['Property', 'Details'], [['Console', link('Memorystore Redis instances', buildRedisUrl(p))]])
  }
  if (r?.postgreSQL != null) {
    md.heading(4, `${env.id} PostgreSQL instance`)
    md.table(
      ['Property', 'Details'],
      [
        ['Console', link('Cloud SQL instances', buildCloudSqlUrl(p))],
        ['Databases', (r.postgreSQL.databases ?? []).map(code).join(', ')],
      ],
    )
    md.callout('NOTE', `The ${entitleLink(env.category, 'write')} is required for BOTH read-only and write access to the database.`)
    md.paragraph(`To connect to the PostgreSQL instance in this environment, use \`sg msp\` in the ${MANAGED_SERVICES_MD} repository:`)
    md.codeBlock(
      'bash',
      `# For read-only access\nsg msp pg connect ${id} ${env.id}\n\n# For write access - use with caution!\nsg msp pg connect -write-access ${id} ${env.id}`,
    )
  }
  const bq = r?.bigQueryDataset
  if (bq != null) {
    md.heading(4, `${env.id} BigQuery dataset`)
    md.table(
      ['Property', 'Details'],
      [
        ['Dataset Project', code(bigQueryProjectOverride(env) ?? p)],
        ['Dataset ID', code(bigQueryDatasetID(spec, env))],
        ['Tables', (bq.tables ?? []).map((t) => link(code(t), buildServiceFileUrl(id, `${t}.bigquerytable.json`))).join(', ')],
      ],
    )
  }
}

function renderTerraformCloud(md: MarkdownBuilder, id: string, envId: string): void {
  const cloudRun = headingLink(`${envId} Cloud Run`)
  // Links inside this fixed text are written as published, without the link normaliser.
  const login = `[log in to Terraform Cloud](${TFC_APP})`
  md.heading(4, `${envId} Terraform Cloud`)
  md.paragraph(
    `This service's configuration is defined in [\`sourcegraph/managed-services/${serviceSpecFile(id)}\`](${buildServiceFileUrl(id, 'service.yaml')}), and ` +
      `\`sg msp generate ${id} ${envId}\` generates the required infrastructure configuration for this environment in Terraform.\n` +
      'Terraform Cloud (TFC) workspaces specific to each service then provisions the required infrastructure from this configuration.\n' +
      `You may want to check your service environment's TFC workspaces if a Terraform apply fails (reported via GitHub commit status checks in ` +
      `the ${MANAGED_SERVICES_MD} repository, or in ${TFC_ALERTS_CHANNEL}).`,
  )
  md.callout(
    'NOTE',
    `If you are looking for service logs, see the ${cloudRun} section instead. In general:\n\n` +
      `- check service logs (${cloudRun}) if your service has gone down or is misbehaving\n` +
      '- check TFC workspaces for infrastructure provisioning or configuration issues',
  )
  md.paragraph(
    `To access this environment's Terraform Cloud workspaces, you will need to ${login} and then [request Entitle access to membership in the "Managed ` +
      `Services Platform Operator" TFC team](${buildEntitleTfcOperatorUrl('service')}).\n` +
      'The "Managed Services Platform Operator" team has access to all MSP TFC workspaces.',
  )
  md.callout(
    'WARNING',
    `You **must ${login} before making your Entitle request**.\n` +
      "If you make your Entitle request, then log in, you will be removed from any team memberships granted through Entitle by Terraform Cloud's SSO " +
      'implementation.',
  )
  md.paragraph(
    `The Terraform Cloud workspaces for this service environment ` +
      `are ${link(`grouped under the \`${handbookTfcEnvTag(id, envId)}\` tag`, buildHandbookTfcEnvUrl(id, envId))}, or you can use:`,
  )
  md.codeBlock('bash', `sg msp tfc view ${id} ${envId}`)
}
