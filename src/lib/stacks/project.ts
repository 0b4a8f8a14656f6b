/**
 * The `project` stack: the environment's GCP project and the APIs enabled in it.
 */
import type {TfConfig} from '../terraform/model.js'
import {StackBuilder} from './builder.js'
import {environmentDisplayName, isProduction, projectServices} from '../spec/derived.js'
import type {Environment, Spec} from '../spec/schema.js'
import {projectRootId, sanitizeLabel} from './naming.js'
import {projectResourceName} from './handoffs.js'
import type {Edition} from '../edition/editions.js'

export const BILLING_ACCOUNT = '017005-C370B2-0E3030'

/** GCP folders by category: Engineering Projects, Internal Services, Managed Services. */
export const CATEGORY_FOLDERS: Readonly<Record<string, string>> = {
  test: 'folders/795981974432',
  internal: 'folders/387815626940',
  external: 'folders/26336759932',
}

/**
 * Builds the `project` stack of one environment.
 * @param spec - the service spec
 * @param env - the environment
 * @param edition - the edition whose resource set to build (src/lib/edition/editions.ts)
 */
export function projectStack(spec: Spec, env: Environment, edition: Edition): TfConfig {
  const b = new StackBuilder('project', spec.service.id, env.id, edition)
  // No default project: the project is what this stack creates.
  b.provider('google')
  const root = projectRootId(env.projectID)
  const labels: Record<string, string> = {}
  const rawLabels: [string, string][] = [
    ['service', spec.service.id],
    ['environment', env.id],
    ['category', env.category],
    ['msp', 'true'],
  ]
  if (isProduction(env)) rawLabels.push(['collect-security-audit-logs', 'true'])
  for (const [k, v] of rawLabels) labels[sanitizeLabel(k)] = sanitizeLabel(v)
  const project = b.resource('google_project', projectResourceName(env.projectID), {
    name: environmentDisplayName(spec, env),
    project_id: env.projectID,
    auto_create_network: false,
    billing_account: BILLING_ACCOUNT,
    folder_id: CATEGORY_FOLDERS[env.category] ?? CATEGORY_FOLDERS.external!,
    labels,
    lifecycle: {prevent_destroy: !env.allowDestroys},
  })
  const apis = [...projectServices(edition), ...(spec.service.iam?.services ?? [])]
  for (const api of new Set(apis)) {
    b.resource('google_project_service', `${root}-project-service-${api.replaceAll('.', '-')}`, {
      project: project.ref('project_id'),
      service: api,
      disable_dependent_services: false,
      disable_on_destroy: false,
    })
  }
  b.local('project_id', project.ref('project_id'), 'Generated project ID')
  return b.build()
}
