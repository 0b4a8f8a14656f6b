/**
 * The `service.yaml` model (the original's final Aug-2024 form; the May-2024 form parses too).
 *
 * This zod schema is the single source of the spec's types (`z.infer`), of its per-field rules
 * (with the original Go message texts) and of the editor JSON Schema (`json-schema.ts`).
 *
 * How it is used by the loader (`load.ts`):
 * - YAML is decoded into plain JS by `decode.ts`, *guided by this schema*: scalars are coerced the
 *   way Go's yaml.v3 does (string fields take the source text, ints truncate floats, bools accept
 *   yes/no/on/off), unknown keys are reported (warning, or error in `msp validate`) and stripped,
 *   and values of the wrong YAML type are reported and dropped. So every value that reaches zod has
 *   the right JS type; what zod still reports is missing required keys and field-level rules.
 * - Objects are `strictObject`s so the JSON Schema says `additionalProperties: false`; the decoder
 *   has already stripped unknown keys, so strictness never fires in the loader itself.
 * - Cross-field rules (kind, rollout, memory/cpu, uniqueness…) live in `rules.ts` and run on the
 *   decoded value even when field-level rules fail, so every problem is reported at once.
 * - Keys whose *presence* matters (in Go, pointer fields: inline service/job blocks, `healthProbes`,
 *   `authentication`, `logicalReplication`, `deploy.manual`, `service.name`, `deadlineSeconds`,
 *   `alerting.opsgenie`, probe timings) stay optional; `derived.ts` computes their effective values.
 */
import {z} from 'zod'
import {ID_PATTERN, PROJECT_ID_PATTERN} from './layout.js'
import {isDnsName} from './dns.js'

/** Matches a service ID: the one id pattern of spec/layout.ts. */
export const SERVICE_ID_PATTERN = ID_PATTERN

/**
 * Matches an environment ID. Extension: the original documents environment IDs as "all-lowercase
 * alphanumeric" and only checks them indirectly (they must appear in the project ID); here they
 * follow the service ID rule, because an environment ID becomes a folder name
 * (`services/<svc>/terraform/<env>`), a handbook file name, URL segments and Terraform names.
 */
const ENVIRONMENT_ID_PATTERN = SERVICE_ID_PATTERN

// Deliberate addition: the original checks only a project id's length and its `-<env>-` part; a
// project id reaches URLs, pages and terminals, so its characters are checked too (PROJECT_ID_PATTERN).
/** The message for a project id with other characters (the original's expected format). */
const projectIdCharacters = (input: unknown) =>
  `projectID ${quoted(input)} can only contain lowercase letters, digits and hyphens: expecting format '$SERVICE_ID-$ENVIRONMENT_ID-$RANDOM_SUFFIX'`

/**
 * Matches names that become Terraform resource names and file names: PostgreSQL databases, BigQuery
 * tables (`<table>.bigquerytable.json`), response-code alert IDs. Extension: the original checks none.
 */
export const RESOURCE_NAME_PATTERN = /^[A-Za-z0-9_-]+$/

/** `pattern` with `*` instead of `+`: the empty string is left to the field's "required" message. */
const orEmpty = (pattern: RegExp) => new RegExp(pattern.source.replace(/\+\$$/, '*$'))

/** A name matching {@link RESOURCE_NAME_PATTERN}; `what` names the field in the message. */
const resourceName = (what: string) =>
  z.string().regex(orEmpty(RESOURCE_NAME_PATTERN), {
    error: (iss) => `${what} ${quoted(iss.input)} can only contain letters, digits, underscores and hyphens`,
  })

/** GCP regions MSP supports (`locations.gcpRegion`), in the order the Go error message lists them. */
const GCP_REGIONS = ['us-central1', 'us-west1', 'asia-northeast1', 'australia-southeast1', 'europe-west2', 'europe-west3', 'northamerica-northeast1'] as const

/** BigQuery multi-region locations MSP supports, compared lower-cased (`locations.gcpLocation`). */
const GCP_LOCATIONS = ['us', 'europe'] as const

export const CATEGORIES = ['test', 'internal', 'external'] as const
const DEPLOY_TYPES = ['manual', 'subscription', 'rollout'] as const
export const SERVICE_KINDS = ['service', 'job'] as const

/** A custom (`projects|organizations/<p>/roles/<r>`) or predefined (`roles/<r>`) IAM role. */
const IAM_ROLE = /^(?:(?:projects|organizations)\/[a-z0-9_-]+\/roles\/[a-zA-Z_.]+|roles\/[a-zA-Z.]+)$/

const quoted = (input: unknown): string => JSON.stringify(input === undefined ? '' : String(input))

/** A required non-empty string whose missing and empty forms share the Go message. */
const requiredString = (message: string) => z.string({error: message}).min(1, message)

const stringList = z.array(z.string())
const stringMap = z.record(z.string(), z.string())

// ---------------------------------------------------------------- service

const ServiceIAMSchema = z
  .strictObject({
    services: stringList.optional().meta({description: 'Extra GCP APIs to enable in each environment project.'}),
    roles: z
      .array(
        z.string().regex(IAM_ROLE, {
          error: (iss) => `invalid IAM role ${quoted(iss.input)}, must be one of custom role or predefined role`,
        }),
      )
      .optional()
      .meta({description: 'IAM roles granted to the workload service account (`roles/…` or `projects/<p>/roles/…`).'}),
    permissions: stringList.optional().meta({description: 'Permissions granted through the custom role `msp_workload_custom_role`.'}),
  })
  .meta({description: 'Extra IAM configuration for the workload.'})

const ServiceSectionSchema = z
  .strictObject(
    {
      id: requiredString('id is required')
        .max(20, 'id must be at most 20 characters')
        .regex(SERVICE_ID_PATTERN, 'id can only contain lowercase alphanumeric characters and hyphens')
        .meta({description: 'Service ID: lowercase letters, digits and hyphens, at most 20 characters. Never change it.'}),
      name: z.string().optional().meta({description: 'Human-readable display name; defaults to the ID (an empty string counts as set).'}),
      owners: z
        .array(z.string(), {error: 'owners requires at least one value'})
        .min(1, 'owners requires at least one value')
        .meta({description: 'Opsgenie team names that own the service.'}),
      description: requiredString('description is required').meta({description: 'What the service does.'}),
      notionPageID: z
        .string()
        .min(1, 'notionPageID cannot be empty')
        .refine((s) => !s.includes('.notion.'), 'notionPageID must be a page ID, not a URL')
        .refine((s) => !s.includes('?'), "notionPageID must be a page ID, found what looks like a URL query '?'")
        .optional()
        .meta({
          description: 'Notion page ID of the generated handbook page; required when an environment is internal or external.',
        }),
      kind: z
        .enum(SERVICE_KINDS, {
          // Extension: the Go spec accepts any kind here and fails later during generation.
          error: (iss) => `invalid service kind ${quoted(iss.input)}, must be one of: service, job`,
        })
        .default('service')
        .meta({description: 'Workload kind: a long-running `service` (default) or a scheduled `job`.'}),
      protocol: z.string().optional().meta({description: 'Cloud Run port protocol; `h2c` for gRPC, otherwise HTTP/1.'}),
      iam: ServiceIAMSchema.optional(),
    },
    {error: 'service is required'},
  )
  .meta({description: 'Identity and ownership of the service.'})

// ---------------------------------------------------------------- build

const BuildSchema = z
  .strictObject({
    image: z.string().optional().meta({description: 'Image repository without a tag.'}),
    source: z
      .strictObject({
        repo: z.string().optional().meta({description: 'Source repository without scheme, e.g. github.com/org/repo.'}),
        dir: z.string().optional().meta({description: 'Subdirectory of the source repository.'}),
      })
      .optional(),
  })
  .meta({description: 'Container image and source location (not validated).'})

// ---------------------------------------------------------------- environment

const DeploySchema = z
  .strictObject(
    {
      type: z
        .enum(DEPLOY_TYPES, {error: (iss) => `invalid deploy type ${quoted(iss.input)} (allowed: ${DEPLOY_TYPES.join(', ')})`})
        .meta({description: 'How new images reach the environment: manual, subscription or rollout.'}),
      manual: z
        .strictObject({tag: z.string().optional().meta({description: 'Image tag to deploy.'})})
        .optional()
        .meta({description: 'Manual deploys: the tag to deploy (defaults to `insiders` when the block is absent).'}),
      subscription: z
        .strictObject({tag: z.string().optional().meta({description: 'Image tag to follow.'})})
        .optional()
        .meta({description: 'Subscription deploys: follow a tag, pinned to its digest at generation time.'}),
    },
    // Go decodes a missing `deploy` into its zero value, whose type is "".
    {error: `invalid deploy type "" (allowed: ${DEPLOY_TYPES.join(', ')})`},
  )
  .meta({description: 'Deployment strategy.'})

const LocationsSchema = z
  .strictObject({
    gcpRegion: z
      .enum(GCP_REGIONS, {
        error: (iss) =>
          iss.input === undefined || iss.input === ''
            ? 'locations.gcpRegion must be non-empty'
            : `locations.gcpRegion ${quoted(iss.input)} is not valid, allowed: [${GCP_REGIONS.join(', ')}]`,
      })
      .meta({description: 'GCP region of all regional resources.'}),
    gcpLocation: z
      .string({error: 'locations.gcpLocation must be non-empty'})
      .min(1, 'locations.gcpLocation must be non-empty')
      .refine((l) => l === '' || (GCP_LOCATIONS as readonly string[]).includes(l.toLowerCase()), {
        error: (iss) => `locations.gcpLocation ${quoted(iss.input)} is not valid, allowed: [${GCP_LOCATIONS.join(', ')}]`,
      })
      .meta({description: 'BigQuery multi-region location (`US` or `europe`, case-insensitive).'}),
  })
  .meta({description: 'Where the environment runs; defaults to us-central1 / US.'})

const InstancesSchema = z
  .strictObject(
    {
      resources: z
        .strictObject(
          {
            cpu: z
              .int({error: 'resources.cpu must be >= 1'})
              .min(1, 'resources.cpu must be >= 1')
              .max(8, 'resources.cpu > 8 not supported - consider decreasing scaling.maxRequestConcurrency and increasing scaling.maxCount instead')
              .meta({description: 'vCPUs per instance, 1 to 8.'}),
            // Extension: Go reports an empty memory as a unit parse error; we say what is missing.
            memory: requiredString('resources.memory is required').meta({
              description: 'Memory per instance in binary units, e.g. 512Mi or 2Gi (512Mi to 32Gi).',
            }),
            cloudRunGeneration: z.int().optional().meta({description: 'Cloud Run execution environment: 1 or 2 (services only).'}),
          },
          {error: 'instances.resources is required'},
        )
        .meta({description: 'Per-instance resources.'}),
      scaling: z
        .strictObject({
          minCount: z.int().default(0).meta({description: 'Minimum instances (0 allows cold starts).'}),
          // No default here: the May-2024 instance-count alert reads only an explicit value (spec/derived readers use 5).
          maxCount: z.int().optional().meta({description: 'Maximum instances (default 5).'}),
          maxRequestConcurrency: z.int().default(1000).meta({description: 'Concurrent requests per instance.'}),
        })
        .optional()
        .meta({description: 'Instance scaling (services only).'}),
    },
    {error: 'instances is required'},
  )
  .meta({description: 'Instance resources and scaling.'})

const SecretVolumeSchema = z.strictObject({
  mountPath: requiredString('mountPath is required').meta({description: 'Absolute path of the mounted file.'}),
  secret: requiredString('secret is required').meta({description: 'Secret Manager secret name.'}),
})

const RedisSchema = z
  .strictObject({
    memoryGB: z.int().default(1).meta({description: 'Memorystore capacity in GB.'}),
    highAvailability: z.boolean().default(false).meta({description: 'STANDARD_HA tier instead of BASIC.'}),
  })
  .meta({description: 'Cloud Memorystore Redis instance.'})

const PublicationSchema = z.strictObject({
  name: z.string().optional().meta({description: 'Publication name: machine-friendly and unique. Required.'}),
  database: z.string().optional().meta({description: 'Database holding the tables to replicate. Required.'}),
  tables: stringList.optional().meta({
    description:
      'Tables (in schema `public`) to replicate and publish; they must exist, owned by the workload identity, before the publication is created. Required.',
  }),
})

const PostgreSQLSchema = z
  .strictObject({
    databases: z.array(resourceName('postgreSQL.databases[]')).default([]).meta({description: 'Databases to create.'}),
    cpu: z.int().default(1).meta({description: 'vCPUs: 1 or a multiple of 2, at most 96.'}),
    memoryGB: z.int().default(4).meta({description: 'Memory in GB: at least 4, between cpu and 6×cpu.'}),
    maxConnections: z.int().optional().meta({description: 'Cloud SQL `max_connections` flag.'}),
    highAvailability: z.boolean().default(false).meta({description: 'Regional instance with point-in-time recovery.'}),
    logicalReplication: z
      .strictObject({publications: z.array(PublicationSchema).default([])})
      .optional()
      .meta({
        description:
          'Presence (even `{}`) enables logical decoding (a short downtime). Each publication also gets a replication user, a replication slot and a ' +
          'Datastream connection profile.',
      }),
  })
  .meta({description: 'Cloud SQL PostgreSQL instance.'})

const BigQueryDatasetSchema = z
  .strictObject({
    tables: z
      .array(resourceName('bigQueryDataset.tables[]'), {error: 'bigQueryDataset.tables must be non-empty'})
      .min(1, 'bigQueryDataset.tables must be non-empty')
      .meta({description: 'Tables; each needs `<table>.bigquerytable.json` next to service.yaml.'}),
    datasetID: z.string().optional().meta({description: 'Dataset ID; defaults to the service ID with - replaced by _.'}),
    projectID: z
      .string()
      .regex(orEmpty(PROJECT_ID_PATTERN), {error: (iss) => projectIdCharacters(iss.input)})
      .optional()
      .meta({description: 'Project of the dataset; defaults to the environment project.'}),
  })
  .meta({description: 'BigQuery dataset.'})

const ResourcesSchema = z
  .strictObject({
    redis: RedisSchema.optional(),
    postgreSQL: PostgreSQLSchema.optional(),
    bigQueryDataset: BigQueryDatasetSchema.optional(),
  })
  .meta({description: 'Managed resources attached to the environment.'})

// Extension: the original accepts any text here; a domain becomes a URL, a DNS record
// and a handbook table cell, so anything but a DNS name (`a@evil.example/x?`, a newline) is refused.
const dnsField = (key: 'subdomain' | 'zone', minLabels: number) =>
  z.string().refine((s) => s === '' || isDnsName(s, minLabels), {
    error: (iss) =>
      `cloudflare.${key} ${quoted(iss.input)} must be a DNS name: ${minLabels > 1 ? 'two or more ' : ''}dot-separated labels of letters, digits and hyphens`,
  })

const DomainSchema = z
  .strictObject({
    type: z.string().optional().meta({description: '`cloudflare` or `none` (the default).'}),
    cloudflare: z
      .strictObject({
        subdomain: dnsField('subdomain', 1).optional().meta({description: 'Subdomain under the zone, e.g. my-service.'}),
        zone: dnsField('zone', 2).optional().meta({description: 'Cloudflare zone, e.g. sourcegraph.com.'}),
        proxied: z.boolean().default(true).meta({description: 'Proxy through Cloudflare WAF (default true).'}),
      })
      .optional(),
    networking: z
      .strictObject({
        loadBalancerLogging: z.boolean().default(false).meta({description: 'Log every load balancer request.'}),
      })
      .optional(),
  })
  .meta({description: 'Public domain of the service (services only).'})

const HealthProbesSchema = z
  .strictObject({
    healthzProbes: z.boolean().default(true).meta({description: 'Probe GET /-/healthz (default true when the block exists).'}),
    timeout: z.int().optional().meta({description: 'Probe timeout in seconds (default 3).'}),
    startupInterval: z.int().optional().meta({description: 'Startup probe period in seconds (default = timeout).'}),
    livenessInterval: z.int().optional().meta({description: 'Liveness probe period in seconds (default 10 × timeout).'}),
  })
  .meta({description: 'MSP health probes (services only).'})

export const EnvironmentSchema = z
  .strictObject({
    id: requiredString('id is required')
      .regex(orEmpty(ENVIRONMENT_ID_PATTERN), 'id can only contain lowercase alphanumeric characters and hyphens')
      .meta({description: 'Environment ID, e.g. dev or prod: lowercase letters, digits and hyphens.'}),
    projectID: requiredString('projectID is required')
      .max(30, {error: (iss) => `projectID ${quoted(iss.input)} must be less than 30 characters`})
      .regex(orEmpty(PROJECT_ID_PATTERN), {error: (iss) => projectIdCharacters(iss.input)})
      .meta({description: 'GCP project ID: $SERVICE_ID-$ENVIRONMENT_ID-$RANDOM_SUFFIX. Never change it.'}),
    // Deliberate differences: Go stops validating an environment after an invalid category; we
    // keep going so every problem is reported at once. Go's message starts with "category: ",
    // which the key path in front of every message already says.
    category: z
      .enum(CATEGORIES, {
        error: (iss) =>
          iss.input === undefined || iss.input === ''
            ? `no category provided (allowed: ${CATEGORIES.join(', ')})`
            : `invalid category ${quoted(iss.input)} (allowed: ${CATEGORIES.join(', ')})`,
      })
      .meta({description: 'test, internal or external.'}),
    deploy: DeploySchema,
    locations: LocationsSchema.optional(),
    instances: InstancesSchema,
    env: stringMap.optional().meta({description: 'Environment variables; values may use {{ .ProjectID }} and {{ .ServiceDnsName }}.'}),
    secretEnv: stringMap.optional().meta({description: 'Environment variables from Secret Manager secrets.'}),
    secretVolumes: z.record(z.string(), SecretVolumeSchema).optional().meta({description: 'Secrets mounted as read-only files, keyed by volume name.'}),
    resources: ResourcesSchema.optional(),
    alerting: z
      .strictObject({
        opsgenie: z.boolean().optional().meta({description: 'Page through Opsgenie (default: on for internal/external).'}),
      })
      .optional(),
    allowDestroys: z.boolean().default(false).meta({description: 'Lift deletion protection before a teardown.'}),
    // Service-only keys (inlined EnvironmentServiceSpec).
    domain: DomainSchema.optional(),
    healthProbes: HealthProbesSchema.optional(),
    authentication: z
      .strictObject({
        sourcegraph: z.boolean().optional().meta({description: 'Let sourcegraph.com accounts invoke the service.'}),
      })
      .optional()
      .meta({description: 'Presence removes public access; absent means anyone may invoke the service.'}),
    // Job-only keys (inlined EnvironmentJobSpec).
    schedule: z
      .strictObject({
        cron: z.string().optional().meta({description: '5-field cron schedule in UTC.'}),
        // Read by the 2024-05 edition; replaced by the environment's deadlineSeconds (see spec/retired.ts).
        deadline: z.int().min(0).optional().meta({description: 'May-2024 form of deadlineSeconds (seconds); run msp migrate.'}),
      })
      .optional()
      .meta({description: 'Job schedule (jobs only).'}),
    deadlineSeconds: z.int().optional().meta({description: 'Maximum runtime of one job execution (default 300).'}),
  })
  .meta({description: 'One deployment environment.'})

// ---------------------------------------------------------------- monitoring

const ResponseCodeRatioSchema = z.strictObject({
  id: z
    .string({error: 'responseCodeRatios[].id is required'})
    // Go runs both checks, so an empty id gets both messages.
    .min(1, 'responseCodeRatios[].id is required and cannot be empty')
    .min(1, 'responseCodeRatios[].id is required')
    .regex(orEmpty(RESOURCE_NAME_PATTERN), {
      error: (iss) => `responseCodeRatios[].id ${quoted(iss.input)} can only contain letters, digits, underscores and hyphens`,
    })
    .meta({description: 'Unique alert ID.'}),
  name: requiredString('responseCodeRatios[].name is required').meta({description: 'Alert name.'}),
  description: z.string().optional(),
  code: z.int().gt(0, 'responseCodeRatios[].code must be positive').optional().meta({description: 'HTTP status code.'}),
  codeClass: z
    .string()
    // Unanchored on purpose, like the Go regexp.
    .regex(/\dx+/, 'responseCodeRatios[].codeClass must match the format Nxx (e.g. 4xx, 5xx)')
    .optional()
    .meta({description: 'HTTP status class such as 5xx.'}),
  excludeCodes: stringList.optional(),
  ratio: z
    .number()
    .min(0, 'responseCodeRatios[].ratio must be between 0 and 1')
    .max(1, 'responseCodeRatios[].ratio must be between 0 and 1')
    .default(0)
    .meta({description: 'Alert threshold, 0 to 1.'}),
  duration: z.string().optional().meta({description: 'May-2024 form: Go duration, a multiple of 60s (prefer durationMinutes).'}),
  durationMinutes: z
    .int()
    .min(0)
    .max(1440, 'responseCodeRatios[].duration must be less than 1440 minutes')
    .optional()
    .meta({description: 'Minutes the ratio must hold before alerting (default 1).'}),
})

const CustomAlertSchema = z.strictObject({
  name: requiredString('customAlerts[].name is required').meta({description: 'Unique alert name.'}),
  description: z.string().optional(),
  severityLevel: z
    .enum(['WARNING', 'CRITICAL'], {error: 'customAlerts[].severityLevel must be either `WARNING` or `CRITICAL`'})
    .meta({description: 'WARNING (Slack) or CRITICAL (Slack and Opsgenie).'}),
  condition: z.strictObject(
    {
      type: z.enum(['mql', 'promql'], {error: 'customAlerts[].condition.type must be either `mql` or `promql`'}).meta({description: 'Query language.'}),
      query: requiredString('customAlerts[].condition.query cannot be empty'),
      durationMinutes: z.int().min(0).max(1440, 'customAlerts[].condition.durationMinutes must be less than 1440 minutes').default(1),
    },
    {error: 'customAlerts[].condition.type must be either `mql` or `promql`'},
  ),
})

const MonitoringSchema = z
  .strictObject({
    alerts: z
      .strictObject({
        responseCodeRatios: z.array(ResponseCodeRatioSchema).default([]).meta({description: 'HTTP response code ratio alerts.'}),
        customAlerts: z.array(CustomAlertSchema).default([]).meta({description: 'MQL or PromQL alerts.'}),
      })
      .prefault({}),
    nobl9: z.boolean().default(false).meta({description: 'Provision a Nobl9 project.'}),
  })
  .meta({description: 'Alerting configuration.'})

// ---------------------------------------------------------------- rollout

const RolloutSchema = z
  .strictObject({
    stages: z
      .array(z.strictObject({environment: requiredString('rollout stage environment is required')}))
      .default([])
      .meta({description: 'Environments in promotion order.'}),
    suspended: z.boolean().default(false).meta({description: 'Suspend the Cloud Deploy pipeline.'}),
    serviceAccount: z.string().optional().meta({description: 'Extra service account allowed to create releases.'}),
    initialImageTag: z.string().default('insiders').meta({description: 'Tag of the first revision of rollout environments.'}),
  })
  .meta({description: 'Cloud Deploy pipeline across environments.'})

// ---------------------------------------------------------------- spec

export const SpecSchema = z
  .strictObject({
    service: ServiceSectionSchema,
    build: BuildSchema.optional(),
    environments: z.array(EnvironmentSchema).default([]).meta({description: 'Deployment environments.'}),
    monitoring: MonitoringSchema.prefault({}),
    rollout: RolloutSchema.optional(),
  })
  .meta({title: 'MSP service specification', description: 'Managed Services Platform service.yaml.'})

export type Spec = z.infer<typeof SpecSchema>
/** The spec as written (before defaults). */
export type SpecInput = z.input<typeof SpecSchema>
export type ServiceSection = Spec['service']
export type Environment = Spec['environments'][number]
export type Category = Environment['category']
export type Deploy = Environment['deploy']
export type Locations = NonNullable<Environment['locations']>
export type Resources = NonNullable<Environment['resources']>
export type Redis = NonNullable<Resources['redis']>
export type PostgreSQL = NonNullable<Resources['postgreSQL']>
export type BigQueryDataset = NonNullable<Resources['bigQueryDataset']>
export type Domain = NonNullable<Environment['domain']>
export type Monitoring = Spec['monitoring']
export type ResponseCodeRatio = Monitoring['alerts']['responseCodeRatios'][number]
export type Rollout = NonNullable<Spec['rollout']>
export type ServiceKind = ServiceSection['kind']
