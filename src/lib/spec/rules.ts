/**
 * The cross-field rules of a service spec (the original's Validate methods) with the original Go message
 * texts. Field-local rules live in the zod schema; these need several fields at once.
 *
 * They run on the *decoded* value (right JS types, but any key may be missing) rather than on zod's
 * output, so that they still report when an unrelated field is invalid: every problem of a file
 * is reported at once, as the original `Spec.Validate` does.
 */
import type {PathSegment} from './decode.js'
import {CLOUD_RUN_NAME_MAX, cloudRunName, customAlertId, dnsName, projectServices, serviceName} from './derived.js'
import {DEFAULT_EDITION} from '../edition/editions.js'
import type {SpecInput} from './schema.js'
import {GiB, MiB, goDurationSeconds, parseMemory} from './units.js'

type DeepPartial<T> = T extends readonly (infer E)[] ? DeepPartial<E>[] : T extends object ? {[K in keyof T]?: DeepPartial<T[K]>} : T

/** The decoded spec: the input shape with every key optional. */
export type RawSpec = DeepPartial<SpecInput>
type RawEnvironment = NonNullable<RawSpec['environments']>[number]

export interface RuleIssue {
  path: PathSegment[]
  message: string
  severity: 'error' | 'warning'
}

/** Whether a key path is present in the YAML (even with a null value). */
export type Presence = (path: readonly PathSegment[]) => boolean

const JOB_ONLY_KEYS = ['schedule', 'deadlineSeconds'] as const
const SERVICE_ONLY_KEYS = ['domain', 'healthProbes', 'authentication'] as const

export interface RuleOptions {
  /**
   * Report rules of the final spec that May-2024 specs predate (`notionPageID` for production
   * categories) as warnings. Off when loading, so May-2024 specs load quietly; on in `msp validate`.
   */
  advisories: boolean
}

/**
 * Runs every cross-field rule.
 * @param spec - the decoded spec
 * @param present - key presence in the source, for rules that depend on presence, not value
 * @param options - whether post-May-2024 advisories are reported
 */
export function checkRules(spec: RawSpec, present: Presence, options: RuleOptions = {advisories: false}): RuleIssue[] {
  const issues: RuleIssue[] = []
  const add = (path: PathSegment[], message: string, severity: 'error' | 'warning' = 'error') => issues.push({path, message, severity})
  const envs = Array.isArray(spec.environments) ? spec.environments : []
  const service = spec.service ?? {}
  const kind = service.kind ?? 'service'
  const serviceId = typeof service.id === 'string' ? service.id : ''
  const displayName = serviceName({service})

  // Kind rules: presence of the inlined service/job keys, as Go allocates those structs.
  envs.forEach((_, i) => {
    const envPath = ['environments', i]
    if (kind === 'job') {
      const offending = SERVICE_ONLY_KEYS.find((k) => present([...envPath, k]))
      if (offending) add([...envPath, offending], "service specifications are not supported for 'kind: job'")
      if (envs[i]?.deploy?.type === 'rollout') {
        add([...envPath, 'deploy', 'type'], `'deploy { type: "rollout" }' not supported for 'kind: job'`)
      }
      if (present([...envPath, 'instances', 'scaling'])) {
        add([...envPath, 'instances', 'scaling'], "'environments.instances.scaling' not supported for 'kind: job'")
      }
    } else if (kind === 'service') {
      const offending = JOB_ONLY_KEYS.find((k) => present([...envPath, k]))
      if (offending) add([...envPath, offending], "job specifications are not supported for 'kind: service'")
    }
  })

  // Per-environment cross rules.
  const dnsNames = new Map<string, number>()
  const envIds = new Map<string, number>()
  envs.forEach((env, i) => {
    const envPath = ['environments', i]
    const envId = typeof env?.id === 'string' ? env.id : ''
    const fullName = `${displayName} - ${envId}`
    if (Buffer.byteLength(fullName, 'utf8') > 30) {
      add([...envPath, 'id'], `full environment name "${fullName}" exceeds 30 characters limit - try a shorter service name or environment ID`)
    }
    const projectID = typeof env?.projectID === 'string' ? env.projectID : ''
    // Deliberate difference: an empty projectID (or environment ID) only gets "… is required",
    // not also the format errors Go adds.
    if (projectID !== '' && !projectID.startsWith(`${serviceId}-`)) {
      add(
        [...envPath, 'projectID'],
        `environment "${envId}" projectID "${projectID}" must contain service ID: expecting format '$SERVICE_ID-$ENVIRONMENT_ID-$RANDOM_SUFFIX'`,
      )
    }
    if (projectID !== '' && envId !== '' && !projectID.includes(`-${envId}-`)) {
      add([...envPath, 'projectID'], `projectID "${projectID}" must contain environment ID: expecting format '$SERVICE_ID-$ENVIRONMENT_ID-$RANDOM_SUFFIX'`)
    }
    if (options.advisories && (env?.category === 'internal' || env?.category === 'external') && service.notionPageID === undefined) {
      // Deliberate difference: a warning in `msp validate` only, not an error. The rule is from
      // after May 2024 (#62972) and the May-2024 specs (every handbook fixture) predate it.
      add([...envPath, 'category'], `environment "${envId}" in category "${env.category}" requires 'service.notionPageID' to be set`, 'warning')
    }
    const dns = env ? dnsName(env) : undefined
    if (dns !== undefined) {
      if (dnsNames.has(dns)) {
        add([...envPath, 'domain', 'cloudflare'], `domain "${dns}" is configured more than once across environments`)
      } else {
        dnsNames.set(dns, i)
      }
    }
    // Extension: Go takes the first match silently, so a duplicated environment would be ignored unseen.
    if (envId !== '') {
      if (envIds.has(envId)) add([...envPath, 'id'], `environment "${envId}" is defined more than once`)
      else envIds.set(envId, i)
    }
  })

  checkRollout(spec, envs, add)
  checkService(spec, add)
  envs.forEach((env, i) => checkEnvironment(env ?? {}, ['environments', i], serviceId, kind, add))
  checkMonitoring(spec, add)
  checkProjectServices(spec, add)
  return issues
}

/**
 * `service.iam.services` entries the project stack enables anyway. The original declares one
 * `google_project_service` construct per API and refused to generate a second one with the same name
 * (a duplicate construct); msp enables the API once and says so.
 */
function checkProjectServices(spec: RawSpec, add: Add): void {
  const services = spec.service?.iam?.services
  if (!Array.isArray(services)) return
  const builtIn = new Set(projectServices(DEFAULT_EDITION))
  const seen = new Set<string>()
  services.forEach((api, i) => {
    if (typeof api !== 'string') return
    const why = builtIn.has(api) ? 'an API every MSP project enables' : seen.has(api) ? 'listed more than once' : undefined
    seen.add(api)
    if (why) {
      add(
        ['service', 'iam', 'services', i],
        `"${api}" is ${why}: the original refuses a second project service of the same name (duplicate construct); msp enables it once`,
        'warning',
      )
    }
  })
}

type Add = (path: PathSegment[], message: string, severity?: 'error' | 'warning') => void

function checkRollout(spec: RawSpec, envs: RawEnvironment[], add: Add): void {
  const rollout = spec.rollout
  const stages = Array.isArray(rollout?.stages) ? rollout.stages : []
  const staged = new Set<string>()
  if (rollout) {
    if (stages.length === 0) add(['rollout', ...(rollout.stages ? ['stages'] : [])], 'rollout spec is defined but contains no stages')
    stages.forEach((stage, k) => {
      const envId = stage?.environment
      if (typeof envId !== 'string' || envId === '') return
      const stagePath = ['rollout', 'stages', k, 'environment']
      if (staged.has(envId)) {
        add(stagePath, `rollout stage references environment "${envId}" more than once`)
        return
      }
      staged.add(envId)
      const index = envs.findIndex((e) => e?.id === envId)
      if (index === -1) {
        add(stagePath, `rollout stage references unknown environment "${envId}"`)
      } else if (envs[index]?.deploy?.type !== 'rollout') {
        add(['environments', index, 'deploy', 'type'], `environment "${envId}" is referenced in a rollout stage - deploy type must be 'rollout'`)
      }
    })
  }
  envs.forEach((env, i) => {
    if (env?.deploy?.type === 'rollout' && typeof env.id === 'string' && !staged.has(env.id)) {
      // The Go message has its arguments swapped; kept verbatim for parity.
      add(['environments', i, 'deploy', 'type'], `environment "rollout" has deploy type '${env.id}', but is not referenced in rollout stages`)
    }
  })
}

function checkService(spec: RawSpec, add: Add): void {
  const owners = spec.service?.owners
  if (Array.isArray(owners)) {
    owners.forEach((owner, i) => {
      if (owner === '' || owner === undefined) add(['service', 'owners', i], `owners[${i}] is invalid`)
    })
  }
}

function checkEnvironment(env: RawEnvironment & object, path: PathSegment[], serviceId: string, kind: string, add: Add): void {
  checkDeploy(env, path, add)
  checkInstances(env, path, add)
  checkSecrets(env, path, add)
  checkHealthProbes(env, path, add)
  checkPostgreSQL(env, path, add)
  checkDomain(env, path, add)
  // Extension: Go checks the Cloud Run name only when generating.
  if (kind === 'service' && typeof env.id === 'string') {
    const name = cloudRunName({service: {id: serviceId}}, {id: env.id, locations: env.locations})
    if (name.length > CLOUD_RUN_NAME_MAX) {
      add([...path, 'id'], `evaluated Cloud Run name "${name}" is too long, maximum length is ${CLOUD_RUN_NAME_MAX} characters`)
    }
  }
}

function checkDeploy(env: RawEnvironment & object, path: PathSegment[], add: Add): void {
  const deploy = env.deploy
  if (!deploy) return
  const at = [...path, 'deploy']
  if (deploy.type === 'manual' && deploy.subscription !== undefined) {
    add([...at, 'subscription'], 'subscription deploy spec provided when type is manual')
  }
  if (deploy.type === 'subscription') {
    if (deploy.manual !== undefined) add([...at, 'manual'], 'manual deploy spec provided when type is subscription')
    else if (deploy.subscription === undefined) add(at, 'no subscription specified when deploy type is subscription')
    else if (!deploy.subscription.tag) add([...at, 'subscription', 'tag'], 'no tag in image subscription specified')
  }
}

function checkInstances(env: RawEnvironment & object, path: PathSegment[], add: Add): void {
  const resources = env.instances?.resources
  if (!resources || typeof resources.memory !== 'string' || resources.memory === '') return
  const at = [...path, 'instances', 'resources', 'memory']
  const cpu = typeof resources.cpu === 'number' ? resources.cpu : 0
  const parsed = parseMemory(resources.memory)
  if (!parsed.ok) {
    add(at, `resources.memory is invalid: ${parsed.error}`)
    return
  }
  if (Math.floor(parsed.bytes / MiB) < 512) add(at, 'resources.memory must be >= 512Mi')
  const gib = Math.floor(parsed.bytes / GiB)
  if (gib > 32) {
    add(at, 'resources.memory > 32Gi not supported - consider decreasing scaling.maxRequestConcurrency and increasing scaling.maxCount instead')
  }
  const cpuForMemory: [number, number][] = [
    [24, 8],
    [16, 6],
    [8, 4],
    [4, 2],
  ]
  const needCpu = cpuForMemory.find(([memory, minCpu]) => gib > memory && cpu < minCpu)
  if (needCpu) add(at, `resources.memory > ${needCpu[0]}Gi requires resources.cpu >= ${needCpu[1]}`)
  const memoryForCpu: [number, number][] = [
    [6, 4],
    [4, 2],
  ]
  const needMemory = memoryForCpu.find(([minCpu, memory]) => cpu > minCpu && gib < memory)
  if (needMemory) add(at, `resources.cpu > ${needMemory[0]} requires resources.memory >= ${needMemory[1]}Gi`)
}

/**
 * The secret name rules the original checks when generating the IAM stack; checked here at load
 * time (extension) so mistakes surface before anything is written.
 */
function secretNameProblem(name: string): string | undefined {
  if (name.startsWith('project/')) return "'project/'-prefixed name provided, did you mean 'projects/'?"
  if (name.includes('/versions/')) return "secrets should not be versioned with '/version/'"
  if (name.startsWith('projects/')) {
    const parts = name.split('/')
    if (parts.length !== 4) return "expected 'projects/'-prefixed name to have 4 '/'-delimited parts"
    if (parts[2] !== 'secrets') return "found '/secret/' segment, did you mean '/secrets/'?"
  }
  return undefined
}

function checkSecrets(env: RawEnvironment & object, path: PathSegment[], add: Add): void {
  for (const [key, secret] of Object.entries(env.secretEnv ?? {})) {
    const problem = typeof secret === 'string' ? secretNameProblem(secret) : undefined
    if (problem) add([...path, 'secretEnv', key], `invalid secret name "${secret}": ${problem}`)
  }
  for (const [name, volume] of Object.entries(env.secretVolumes ?? {})) {
    const at = [...path, 'secretVolumes', name]
    if (name === '') add(at, 'secretVolumes key cannot be empty')
    const mountPath = volume?.mountPath
    if (typeof mountPath === 'string' && mountPath !== '') {
      if (!mountPath.startsWith('/')) add([...at, 'mountPath'], `mountPath must be abs file path, got "${mountPath}"`)
      else if (mountPath.endsWith('/')) {
        add([...at, 'mountPath'], `mountPath may be malformed, got "${mountPath}"`)
      }
    }
    const problem = typeof volume?.secret === 'string' && volume.secret !== '' ? secretNameProblem(volume.secret) : undefined
    if (problem) add([...at, 'secret'], `invalid secret name "${volume?.secret}": ${problem}`)
  }
}

function checkHealthProbes(env: RawEnvironment & object, path: PathSegment[], add: Add): void {
  const probes = env.healthProbes
  if (!probes) return
  const at = [...path, 'healthProbes']
  const enabled = probes.healthzProbes ?? true
  if (!enabled) {
    if (probes.timeout !== undefined || probes.startupInterval !== undefined || probes.livenessInterval !== undefined) {
      add(at, 'timeout, startupInterval and livenessInterval can only be configured when healthzProbes is enabled')
    }
    return
  }
  const timeout = probes.timeout ?? 3
  const startup = probes.startupInterval ?? timeout
  const liveness = probes.livenessInterval ?? 10 * timeout
  if (timeout > startup) add([...at, 'startupInterval'], 'startupInterval must be greater than or equal to timeout')
  if (timeout > liveness) add([...at, 'livenessInterval'], 'livenessInterval must be greater than or equal to timeout')
  if (liveness > 3600) add([...at, 'livenessInterval'], 'livenessInterval must be less than or equal to 3600 seconds')
}

function checkPostgreSQL(env: RawEnvironment & object, path: PathSegment[], add: Add): void {
  const pg = env.resources?.postgreSQL
  if (!pg) return
  const at = [...path, 'resources', 'postgreSQL']
  if (typeof pg.cpu === 'number') {
    if (pg.cpu < 1) add([...at, 'cpu'], 'postgreSQL.cpu must be >= 1')
    if (pg.cpu > 1 && pg.cpu % 2 !== 0) add([...at, 'cpu'], 'postgreSQL.cpu must be 1 or a multiple of 2')
    if (pg.cpu > 96) add([...at, 'cpu'], 'postgreSQL.cpu must be <= 96')
  }
  if (typeof pg.memoryGB === 'number') {
    const cpu = typeof pg.cpu === 'number' ? pg.cpu : 1
    if (pg.memoryGB < 4) add([...at, 'memoryGB'], 'postgreSQL.memoryGB must be >= 4')
    if (pg.memoryGB < cpu) add([...at, 'memoryGB'], 'postgreSQL.memoryGB must be >= postgreSQL.cpu')
    if (pg.memoryGB > 6 * cpu) add([...at, 'memoryGB'], 'postgreSQL.memoryGB must be <= 6*postgreSQL.cpu')
  }
  const publications = pg.logicalReplication?.publications
  if (Array.isArray(publications)) {
    const names = new Set<string>()
    publications.forEach((publication, i) => {
      const pubAt = [...at, 'logicalReplication', 'publications', i]
      const name = publication?.name ?? ''
      if (name === '') add([...pubAt, 'name'], `publication[${i}].name is required`)
      // Like spec/environment.go, an empty name is remembered too: a second one is also a duplicate.
      if (names.has(name)) add([...pubAt, 'name'], `publication[${i}].name must be unique`)
      names.add(name)
      if (!publication?.database) add([...pubAt, 'database'], `publication[${i}].database is required`)
      const tables = publication?.tables
      if (!Array.isArray(tables) || tables.length === 0) add([...pubAt, 'tables'], `publication[${i}].tables is required`)
      else {
        tables.forEach((table, j) => {
          if (!table) add([...pubAt, 'tables', j], `publication[${i}].tables[${j}] must not be empty`)
        })
      }
    })
  }
}

function checkDomain(env: RawEnvironment & object, path: PathSegment[], add: Add): void {
  // Extension: Go checks Cloudflare completeness only when generating the Cloud Run stack.
  const domain = env.domain
  if (domain?.type !== 'cloudflare') return
  const at = [...path, 'domain']
  if (!domain.cloudflare) add(at, 'domain type "cloudflare" specified but Cloudflare configuration is nil')
  else if (!domain.cloudflare.subdomain || !domain.cloudflare.zone) {
    // Reported at the key that is empty or missing (a missing one is located at its mapping).
    const missing = domain.cloudflare.subdomain ? 'zone' : 'subdomain'
    add([...at, 'cloudflare', missing], `domain type "cloudflare" requires 'cloudflare.subdomain' and 'cloudflare.zone' to be set`)
  }
}

function checkMonitoring(spec: RawSpec, add: Add): void {
  const alerts = spec.monitoring?.alerts
  const ratios = Array.isArray(alerts?.responseCodeRatios) ? alerts.responseCodeRatios : []
  const ids = new Set<string>()
  ratios.forEach((ratio, i) => {
    const at: PathSegment[] = ['monitoring', 'alerts', 'responseCodeRatios', i]
    if (ratio?.id) {
      if (ids.has(ratio.id)) add([...at, 'id'], `response code alert IDs must be unique, found duplicate ID: ${ratio.id}`)
      ids.add(ratio.id)
    }
    if (ratio?.code !== undefined && ratio.codeClass !== undefined) {
      add(at, 'only one of responseCodeRatios[].code or responseCodeRatios[].codeClass should be specified')
    }
    if (typeof ratio?.duration === 'string') {
      const seconds = goDurationSeconds(ratio.duration)
      if (seconds === undefined) {
        add([...at, 'duration'], `responseCodeRatios[].duration must be in the format of XXs: time: invalid duration "${ratio.duration}"`)
      } else if (seconds % 60 !== 0) {
        add([...at, 'duration'], 'responseCodeRatios[].duration must be a multiple of 60s')
      } else if (seconds / 60 > 1440) {
        add([...at, 'duration'], 'responseCodeRatios[].duration must be less than 1440 minutes')
      }
    }
  })
  // alertpolicy.New refuses an alert without a description ("Description is required").
  const undescribed = (alert: {description?: unknown} | undefined) => alert != null && (typeof alert.description !== 'string' || alert.description === '')
  const missingDescription =
    'the original refuses to generate an alert without a description ("Description is required", alertpolicy.New); msp writes it with none'
  ratios.forEach((ratio, i) => {
    if (undescribed(ratio)) add(['monitoring', 'alerts', 'responseCodeRatios', i], missingDescription, 'warning')
  })
  const customAlerts = Array.isArray(alerts?.customAlerts) ? alerts.customAlerts : []
  customAlerts.forEach((alert, i) => {
    if (undescribed(alert)) add(['monitoring', 'alerts', 'customAlerts', i], missingDescription, 'warning')
  })
  const alertIds = new Set<string>()
  customAlerts.forEach((alert, i) => {
    const name = alert?.name
    if (typeof name !== 'string' || name === '') return
    const at: PathSegment[] = ['monitoring', 'alerts', 'customAlerts', i, 'name']
    if (!/^[-A-Za-z0-9 ]+$/.test(name)) add(at, `custom alert name must match the format ^[-A-Za-z0-9 ]+$, got: \`${name}\``)
    const id = customAlertId({name})
    if (alertIds.has(id)) add(at, `custom alert names must be unique, found duplicate Name: \`${name}\``)
    alertIds.add(id)
  })
}
