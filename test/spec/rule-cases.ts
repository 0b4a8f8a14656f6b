/** One spec per validation rule of the original's spec, with the exact issue lines it must produce. */
import {testSpec} from './spec-test-data.js'

export interface RuleCase {
  name: string
  source: string
  expected: string[]
}

const svc = (lines: string) => testSpec().replace('  id: svc\n', lines)

/** Expected lines are relative to `services/svc/service.yaml:`. */
export const ruleCases: RuleCase[] = [
  {
    name: 'service.id is required (and fails the pattern, like Go)',
    source: svc('  id: ""\n').replaceAll('svc-dev', '-dev'),
    expected: ['2:7: service.id: id is required', '2:7: service.id: id can only contain lowercase alphanumeric characters and hyphens'],
  },
  {
    name: 'service.id longer than 20 characters',
    source: testSpec().replaceAll('svc', 'a-very-long-service-id'),
    expected: [
      '2:7: service.id: id must be at most 20 characters',
      '7:16: environments.0.projectID: projectID "a-very-long-service-id-dev-1234" must be less than 30 characters',
    ],
  },
  {
    name: 'service.id with uppercase letters',
    source: testSpec().replaceAll('svc', 'My_Svc'),
    expected: [
      '2:7: service.id: id can only contain lowercase alphanumeric characters and hyphens',
      // The project id takes the service id's characters, and only lowercase letters, digits and hyphens are allowed.
      `7:16: environments.0.projectID: projectID "My_Svc-dev-1234" can only contain lowercase letters, digits and hyphens: expecting format ` +
        `'$SERVICE_ID-$ENVIRONMENT_ID-$RANDOM_SUFFIX'`,
    ],
  },
  {
    name: 'service.id missing points at the service mapping',
    source: svc('').replace('projectID: svc-dev-1234', 'projectID: x-dev-1'),
    expected: [
      '1:1: service.id: id is required',
      '6:16: environments.0.projectID: environment "dev" projectID "x-dev-1" must contain service ID: expecting format ' +
        "'$SERVICE_ID-$ENVIRONMENT_ID-$RANDOM_SUFFIX'",
    ],
  },
  {
    name: 'owners requires at least one value',
    source: testSpec().replace('owners: [team]', 'owners: []'),
    expected: ['3:3: service.owners: owners requires at least one value'],
  },
  {
    name: 'owners entries must be non-empty',
    source: testSpec().replace('owners: [team]', 'owners: [team, ""]'),
    expected: ['3:18: service.owners.1: owners[1] is invalid'],
  },
  {
    name: 'description is required',
    source: testSpec().replace('  description: A test service.\n', ''),
    expected: ['1:1: service.description: description is required'],
  },
  {
    name: 'notionPageID cannot be empty',
    source: testSpec({service: 'notionPageID: ""'}),
    expected: ['5:17: service.notionPageID: notionPageID cannot be empty'],
  },
  {
    name: 'notionPageID must not be a URL',
    source: testSpec({service: 'notionPageID: https://sourcegraph.notion.site/abc'}),
    expected: ['5:17: service.notionPageID: notionPageID must be a page ID, not a URL'],
  },
  {
    name: 'notionPageID must not contain a query',
    source: testSpec({service: 'notionPageID: abc?pvs=4'}),
    expected: ["5:17: service.notionPageID: notionPageID must be a page ID, found what looks like a URL query '?'"],
  },
  {
    name: 'kind must be service or job (extension)',
    source: testSpec({service: 'kind: cron'}),
    expected: ['5:9: service.kind: invalid service kind "cron", must be one of: service, job'],
  },
  {
    name: 'IAM roles must be custom or predefined',
    source: testSpec({service: 'iam: {roles: [roles/run.invoker, projects/project-id/roles/a-b-c]}'}),
    expected: ['5:36: service.iam.roles.1: invalid IAM role "projects/project-id/roles/a-b-c", must be one of custom role or predefined role'],
  },
  {
    name: 'environment id is required',
    source: testSpec().replace('  - id: dev\n    projectID', '  - projectID'),
    expected: ['6:5: environments.0.id: id is required'],
  },
  {
    name: 'projectID is required',
    source: testSpec().replace('    projectID: svc-dev-1234\n', ''),
    expected: ['6:5: environments.0.projectID: projectID is required'],
  },
  {
    name: 'projectID longer than 30 characters (30 is allowed)',
    source: testSpec().replace('svc-dev-1234', 'svc-dev-123456789012345678901234'),
    expected: ['7:16: environments.0.projectID: projectID "svc-dev-123456789012345678901234" must be less than 30 characters'],
  },
  {
    name: 'projectID exactly 30 characters is allowed',
    source: testSpec().replace('svc-dev-1234', 'svc-dev-1234567890123456789012'),
    expected: [],
  },
  {
    name: 'projectID must contain the environment ID',
    source: testSpec().replace('svc-dev-1234', 'svc-prod-1234'),
    expected: [
      '7:16: environments.0.projectID: projectID "svc-prod-1234" must contain environment ID: expecting format \'$SERVICE_ID-$ENVIRONMENT_ID-$RANDOM_SUFFIX\'',
    ],
  },
  {
    name: 'projectID must start with the service ID',
    source: testSpec().replace('svc-dev-1234', 'other-dev-1234'),
    expected: [
      '7:16: environments.0.projectID: environment "dev" projectID "other-dev-1234" must contain service ID: expecting format ' +
        "'$SERVICE_ID-$ENVIRONMENT_ID-$RANDOM_SUFFIX'",
    ],
  },
  {
    name: 'category is required',
    source: testSpec().replace('    category: test\n', ''),
    expected: ['6:5: environments.0.category: no category provided (allowed: test, internal, external)'],
  },
  {
    name: 'category must be test, internal or external',
    source: testSpec().replace('category: test', 'category: prod'),
    expected: ['8:15: environments.0.category: invalid category "prod" (allowed: test, internal, external)'],
  },
  {
    name: 'deploy type must be known',
    source: testSpec().replace('{type: manual}', '{type: canary}'),
    expected: ['9:20: environments.0.deploy.type: invalid deploy type "canary" (allowed: manual, subscription, rollout)'],
  },
  {
    name: 'deploy is required',
    source: testSpec().replace('    deploy: {type: manual}\n', ''),
    expected: ['6:5: environments.0.deploy: invalid deploy type "" (allowed: manual, subscription, rollout)'],
  },
  {
    name: 'manual deploy with a subscription block',
    source: testSpec().replace('{type: manual}', '{type: manual, subscription: {tag: x}}'),
    expected: ['9:28: environments.0.deploy.subscription: subscription deploy spec provided when type is manual'],
  },
  {
    name: 'subscription deploy with a manual block',
    source: testSpec().replace('{type: manual}', '{type: subscription, manual: {tag: x}}'),
    expected: ['9:34: environments.0.deploy.manual: manual deploy spec provided when type is subscription'],
  },
  {
    name: 'subscription deploy without a subscription block',
    source: testSpec().replace('{type: manual}', '{type: subscription}'),
    expected: ['9:5: environments.0.deploy: no subscription specified when deploy type is subscription'],
  },
  {
    name: 'subscription deploy without a tag',
    source: testSpec().replace('{type: manual}', '{type: subscription, subscription: {}}'),
    expected: ['9:34: environments.0.deploy.subscription.tag: no tag in image subscription specified'],
  },
  {
    name: 'locations.gcpRegion must be supported',
    source: testSpec({env: 'locations: {gcpRegion: us-east1, gcpLocation: US}'}),
    expected: [
      '11:28: environments.0.locations.gcpRegion: locations.gcpRegion "us-east1" is not valid, allowed: [us-central1, us-west1, asia-northeast1, ' +
        'australia-southeast1, europe-west2, europe-west3, northamerica-northeast1]',
    ],
  },
  {
    name: 'locations.gcpLocation must be us or europe (case-insensitive)',
    source: testSpec({env: 'locations: {gcpRegion: europe-west2, gcpLocation: EU}'}),
    expected: ['11:55: environments.0.locations.gcpLocation: locations.gcpLocation "EU" is not valid, allowed: [us, europe]'],
  },
  {
    name: 'locations needs both fields',
    source: testSpec({env: 'locations: {}'}),
    expected: [
      '11:5: environments.0.locations.gcpRegion: locations.gcpRegion must be non-empty',
      '11:5: environments.0.locations.gcpLocation: locations.gcpLocation must be non-empty',
    ],
  },
  {
    name: 'resources.cpu must be >= 1',
    source: testSpec().replace('cpu: 1,', 'cpu: 0,'),
    expected: ['10:34: environments.0.instances.resources.cpu: resources.cpu must be >= 1'],
  },
  {
    name: 'resources.cpu > 8 is not supported',
    source: testSpec().replace('cpu: 1, memory: 512Mi', 'cpu: 9, memory: 8Gi'),
    expected: [
      '10:34: environments.0.instances.resources.cpu: resources.cpu > 8 not supported - consider decreasing scaling.maxRequestConcurrency and increasing ' +
        'scaling.maxCount instead',
    ],
  },
  {
    name: 'resources.memory with a decimal unit',
    source: testSpec().replace('512Mi', '8GiB'),
    expected: ['10:45: environments.0.instances.resources.memory: resources.memory is invalid: units: unknown unit GiB in 8GiB'],
  },
  {
    name: 'resources.memory bare number',
    source: testSpec().replace('512Mi', '"512"'),
    expected: ['10:45: environments.0.instances.resources.memory: resources.memory is invalid: units: unknown unit  in 512'],
  },
  {
    name: 'resources.memory is required',
    source: testSpec().replace(', memory: 512Mi', ''),
    expected: ['10:17: environments.0.instances.resources.memory: resources.memory is required'],
  },
  {
    name: 'resources.memory must be >= 512Mi',
    source: testSpec().replace('512Mi', '256Mi'),
    expected: ['10:45: environments.0.instances.resources.memory: resources.memory must be >= 512Mi'],
  },
  {
    name: 'resources.memory > 32Gi is not supported',
    source: testSpec().replace('cpu: 1, memory: 512Mi', 'cpu: 8, memory: 33Gi'),
    expected: [
      '10:45: environments.0.instances.resources.memory: resources.memory > 32Gi not supported - consider decreasing scaling.maxRequestConcurrency and ' +
        'increasing scaling.maxCount instead',
    ],
  },
  {
    name: 'resources.memory > 24Gi requires 8 CPUs',
    source: testSpec().replace('cpu: 1, memory: 512Mi', 'cpu: 6, memory: 25Gi'),
    expected: ['10:45: environments.0.instances.resources.memory: resources.memory > 24Gi requires resources.cpu >= 8'],
  },
  {
    name: 'resources.memory > 16Gi requires 6 CPUs',
    source: testSpec().replace('cpu: 1, memory: 512Mi', 'cpu: 4, memory: 17Gi'),
    expected: ['10:45: environments.0.instances.resources.memory: resources.memory > 16Gi requires resources.cpu >= 6'],
  },
  {
    name: 'resources.memory > 8Gi requires 4 CPUs',
    source: testSpec().replace('cpu: 1, memory: 512Mi', 'cpu: 2, memory: 9Gi'),
    expected: ['10:45: environments.0.instances.resources.memory: resources.memory > 8Gi requires resources.cpu >= 4'],
  },
  {
    name: 'resources.memory > 4Gi requires 2 CPUs',
    source: testSpec().replace('512Mi', '5Gi'),
    expected: ['10:45: environments.0.instances.resources.memory: resources.memory > 4Gi requires resources.cpu >= 2'],
  },
  {
    name: 'resources.cpu > 6 requires 4Gi',
    source: testSpec().replace('cpu: 1, memory: 512Mi', 'cpu: 7, memory: 3Gi'),
    expected: ['10:45: environments.0.instances.resources.memory: resources.cpu > 6 requires resources.memory >= 4Gi'],
  },
  {
    name: 'resources.cpu > 4 requires 2Gi',
    source: testSpec().replace('cpu: 1, memory: 512Mi', 'cpu: 5, memory: 1Gi'),
    expected: ['10:45: environments.0.instances.resources.memory: resources.cpu > 4 requires resources.memory >= 2Gi'],
  },
  {
    name: 'instances is required',
    source: testSpec().replace('    instances: {resources: {cpu: 1, memory: 512Mi}}\n', ''),
    expected: ['6:5: environments.0.instances: instances is required'],
  },
  {
    name: 'secretVolumes mountPath must be absolute',
    source: testSpec({env: 'secretVolumes:\n  creds: {mountPath: etc/creds.json, secret: CREDS}'}),
    expected: ['12:26: environments.0.secretVolumes.creds.mountPath: mountPath must be abs file path, got "etc/creds.json"'],
  },
  {
    name: 'secretVolumes mountPath must name a file',
    source: testSpec({env: 'secretVolumes:\n  creds: {mountPath: /etc/creds/, secret: CREDS}'}),
    expected: ['12:26: environments.0.secretVolumes.creds.mountPath: mountPath may be malformed, got "/etc/creds/"'],
  },
  {
    name: 'secretVolumes key cannot be empty',
    source: testSpec({env: 'secretVolumes:\n  "": {mountPath: /etc/creds.json, secret: CREDS}'}),
    expected: ['12:7: environments.0.secretVolumes.: secretVolumes key cannot be empty'],
  },
  {
    name: 'secretVolumes need mountPath and secret',
    source: testSpec({env: 'secretVolumes:\n  creds: {}'}),
    expected: [
      '12:7: environments.0.secretVolumes.creds.mountPath: mountPath is required',
      '12:7: environments.0.secretVolumes.creds.secret: secret is required',
    ],
  },
  {
    name: 'secret names follow the Secret Manager shapes (extension)',
    source: testSpec({env: 'secretEnv:\n  A: project/p/secrets/A\n  B: projects/p/secrets/B/versions/1\n  C: projects/p/secrets\n  D: projects/p/secret/D'}),
    expected: [
      "12:10: environments.0.secretEnv.A: invalid secret name \"project/p/secrets/A\": 'project/'-prefixed name provided, did you mean 'projects/'?",
      '13:10: environments.0.secretEnv.B: invalid secret name "projects/p/secrets/B/versions/1": secrets should not be versioned with \'/version/\'',
      "14:10: environments.0.secretEnv.C: invalid secret name \"projects/p/secrets\": expected 'projects/'-prefixed name to have 4 '/'-delimited parts",
      "15:10: environments.0.secretEnv.D: invalid secret name \"projects/p/secret/D\": found '/secret/' segment, did you mean '/secrets/'?",
    ],
  },
  {
    name: 'health probe timings need healthzProbes',
    source: testSpec({env: 'healthProbes: {healthzProbes: false, timeout: 5}'}),
    expected: ['11:5: environments.0.healthProbes: timeout, startupInterval and livenessInterval can only be configured when healthzProbes is enabled'],
  },
  {
    name: 'startupInterval must be >= timeout',
    source: testSpec({env: 'healthProbes: {timeout: 5, startupInterval: 4}'}),
    expected: ['11:49: environments.0.healthProbes.startupInterval: startupInterval must be greater than or equal to timeout'],
  },
  {
    name: 'livenessInterval must be >= timeout',
    source: testSpec({env: 'healthProbes: {timeout: 5, livenessInterval: 4}'}),
    expected: ['11:50: environments.0.healthProbes.livenessInterval: livenessInterval must be greater than or equal to timeout'],
  },
  {
    name: 'livenessInterval must be <= 3600',
    source: testSpec({env: 'healthProbes: {livenessInterval: 3601}'}),
    expected: ['11:38: environments.0.healthProbes.livenessInterval: livenessInterval must be less than or equal to 3600 seconds'],
  },
  {
    name: 'postgreSQL.cpu rules',
    source: testSpec({env: 'resources:\n  postgreSQL: {cpu: 97}'}),
    expected: [
      '12:25: environments.0.resources.postgreSQL.cpu: postgreSQL.cpu must be 1 or a multiple of 2',
      '12:25: environments.0.resources.postgreSQL.cpu: postgreSQL.cpu must be <= 96',
    ],
  },
  {
    name: 'postgreSQL.cpu must be >= 1',
    source: testSpec({env: 'resources:\n  postgreSQL: {cpu: 0}'}),
    expected: ['12:25: environments.0.resources.postgreSQL.cpu: postgreSQL.cpu must be >= 1'],
  },
  {
    name: 'postgreSQL.memoryGB rules',
    source: testSpec({env: 'resources:\n  postgreSQL: {cpu: 2, memoryGB: 13}'}),
    expected: ['12:38: environments.0.resources.postgreSQL.memoryGB: postgreSQL.memoryGB must be <= 6*postgreSQL.cpu'],
  },
  {
    name: 'postgreSQL.memoryGB must be >= 4 and >= cpu',
    source: testSpec({env: 'resources:\n  postgreSQL: {cpu: 4, memoryGB: 3}'}),
    expected: [
      '12:38: environments.0.resources.postgreSQL.memoryGB: postgreSQL.memoryGB must be >= 4',
      '12:38: environments.0.resources.postgreSQL.memoryGB: postgreSQL.memoryGB must be >= postgreSQL.cpu',
    ],
  },
  {
    name: 'logical replication publications',
    source: testSpec({
      env:
        'resources:\n  postgreSQL:\n    logicalReplication:\n      publications:\n        - {name: pub, database: db, tables: [t, ""]}\n        - ' +
        '{name: pub}',
    }),
    expected: [
      '15:53: environments.0.resources.postgreSQL.logicalReplication.publications.0.tables.1: publication[0].tables[1] must not be empty',
      '16:15: environments.0.resources.postgreSQL.logicalReplication.publications.1.database: publication[1].database is required',
      '16:15: environments.0.resources.postgreSQL.logicalReplication.publications.1.tables: publication[1].tables is required',
      '16:22: environments.0.resources.postgreSQL.logicalReplication.publications.1.name: publication[1].name must be unique',
    ],
  },
  {
    // spec/environment.go Validate: the name is recorded even when empty, so a second empty name is also a duplicate.
    name: 'a second publication without a name is reported as missing and as a duplicate',
    source: testSpec({
      env:
        'resources:\n  postgreSQL:\n    logicalReplication:\n      publications:\n        - {database: db, tables: [t]}\n        - {database: db, ' +
        'tables: [t]}',
    }),
    expected: [
      '15:15: environments.0.resources.postgreSQL.logicalReplication.publications.0.name: publication[0].name is required',
      '16:15: environments.0.resources.postgreSQL.logicalReplication.publications.1.name: publication[1].name is required',
      '16:15: environments.0.resources.postgreSQL.logicalReplication.publications.1.name: publication[1].name must be unique',
    ],
  },
  {
    name: 'bigQueryDataset.tables must be non-empty',
    source: testSpec({env: 'resources:\n  bigQueryDataset: {tables: []}'}),
    expected: ['12:25: environments.0.resources.bigQueryDataset.tables: bigQueryDataset.tables must be non-empty'],
  },
  {
    name: 'cloudflare domain needs subdomain and zone (extension)',
    source: testSpec({env: 'domain: {type: cloudflare, cloudflare: {zone: sgdev.org}}'}),
    expected: ["11:32: environments.0.domain.cloudflare.subdomain: domain type \"cloudflare\" requires 'cloudflare.subdomain' and 'cloudflare.zone' to be set"],
  },
  {
    name: 'cloudflare domain needs a cloudflare block (extension)',
    source: testSpec({env: 'domain: {type: cloudflare}'}),
    expected: ['11:5: environments.0.domain: domain type "cloudflare" specified but Cloudflare configuration is nil'],
  },
  {
    name: 'job: service-only keys',
    source: testSpec({service: 'kind: job', env: 'authentication: {}'}),
    expected: ["12:5: environments.0.authentication: service specifications are not supported for 'kind: job'"],
  },
  {
    name: 'job: rollout deploys',
    source: testSpec({service: 'kind: job', top: 'rollout: {stages: [{environment: dev}]}'}).replace('{type: manual}', '{type: rollout}'),
    expected: ["10:20: environments.0.deploy.type: 'deploy { type: \"rollout\" }' not supported for 'kind: job'"],
  },
  {
    name: 'job: scaling',
    source: testSpec({service: 'kind: job'}).replace('512Mi}}', '512Mi}, scaling: {maxCount: 2}}'),
    expected: ["11:53: environments.0.instances.scaling: 'environments.instances.scaling' not supported for 'kind: job'"],
  },
  {
    name: 'service: job-only keys (a null value counts)',
    source: testSpec({env: 'deadlineSeconds:'}),
    expected: ["11:5: environments.0.deadlineSeconds: job specifications are not supported for 'kind: service'"],
  },
  {
    name: 'full environment name longer than 30 characters',
    source: testSpec({service: 'name: A Very Long Service Name'}).replaceAll('dev', 'production'),
    expected: [
      '7:9: environments.0.id: full environment name "A Very Long Service Name - production" exceeds 30 characters limit - try a shorter service name or ' +
        'environment ID',
    ],
  },
  {
    name: 'notionPageID required for internal/external is not checked when loading',
    source: testSpec().replace('category: test', 'category: internal'),
    expected: [],
  },
  {
    name: 'duplicate DNS names across environments',
    source: testSpec({
      env: 'domain: {type: cloudflare, cloudflare: {subdomain: a, zone: sgdev.org}}',
      envs:
        '- id: prod\n  projectID: svc-prod-1234\n  category: test\n  deploy: {type: manual}\n  instances: {resources: {cpu: 1, memory: 512Mi}}\n  ' +
        'domain: {type: none, cloudflare: {subdomain: a, zone: sgdev.org}}',
    }),
    expected: ['17:26: environments.1.domain.cloudflare: domain "a.sgdev.org" is configured more than once across environments'],
  },
  {
    name: 'duplicate environment IDs (extension)',
    source: testSpec({
      envs: '- id: dev\n  projectID: svc-dev-5678\n  category: test\n  deploy: {type: manual}\n  instances: {resources: {cpu: 1, memory: 512Mi}}',
    }),
    expected: ['11:9: environments.1.id: environment "dev" is defined more than once'],
  },
  {
    name: 'rollout stage env must use deploy type rollout',
    source: testSpec({top: 'rollout:\n  stages: [{environment: dev}]'}),
    expected: ['9:20: environments.0.deploy.type: environment "dev" is referenced in a rollout stage - deploy type must be \'rollout\''],
  },
  {
    name: 'rollout env must be in a stage (Go message with swapped arguments)',
    source: testSpec().replace('{type: manual}', '{type: rollout}'),
    expected: ['9:20: environments.0.deploy.type: environment "rollout" has deploy type \'dev\', but is not referenced in rollout stages'],
  },
  {
    name: 'rollout without stages',
    source: testSpec({top: 'rollout: {suspended: true}'}),
    expected: ['11:1: rollout: rollout spec is defined but contains no stages'],
  },
  {
    name: 'rollout stage with unknown environment',
    source: testSpec({top: 'rollout:\n  stages: [{environment: staging}]'}),
    expected: ['12:26: rollout.stages.0.environment: rollout stage references unknown environment "staging"'],
  },
  {
    name: 'rollout stage listed twice',
    source: testSpec({top: 'rollout:\n  stages: [{environment: dev}, {environment: dev}]'}).replace('{type: manual}', '{type: rollout}'),
    expected: ['12:46: rollout.stages.1.environment: rollout stage references environment "dev" more than once'],
  },
  {
    name: 'Cloud Run name longer than 63 characters (extension)',
    source: testSpec({service: 'name: ""', env: 'locations: {gcpRegion: northamerica-northeast1, gcpLocation: us}'})
      .replaceAll('svc', 'twenty-character-svc')
      .replaceAll('dev', 'twenty-character-env'),
    expected: [
      '7:9: environments.0.id: evaluated Cloud Run name "twenty-character-svc-twenty-character-env-northamerica-northeast1" is too long, maximum length is ' +
        '63 characters',
      '8:16: environments.0.projectID: projectID "twenty-character-svc-twenty-character-env-1234" must be less than 30 characters',
    ],
  },
  {
    name: 'response code alerts: id, name, code, codeClass, ratio, duration',
    source: testSpec({
      top:
        'monitoring:\n  alerts:\n    responseCodeRatios:\n      - {id: "", code: 0, ratio: 1.5, description: d}\n      - {id: a, name: A, codeClass: ' +
        'xx, durationMinutes: 1441, description: d}\n      - {id: a, name: B, code: 500, codeClass: 5xx, description: d}',
    }),
    expected: [
      '14:9: monitoring.alerts.responseCodeRatios.0.name: responseCodeRatios[].name is required',
      '14:14: monitoring.alerts.responseCodeRatios.0.id: responseCodeRatios[].id is required and cannot be empty',
      '14:14: monitoring.alerts.responseCodeRatios.0.id: responseCodeRatios[].id is required',
      '14:24: monitoring.alerts.responseCodeRatios.0.code: responseCodeRatios[].code must be positive',
      '14:34: monitoring.alerts.responseCodeRatios.0.ratio: responseCodeRatios[].ratio must be between 0 and 1',
      '15:37: monitoring.alerts.responseCodeRatios.1.codeClass: responseCodeRatios[].codeClass must match the format Nxx (e.g. 4xx, 5xx)',
      '15:58: monitoring.alerts.responseCodeRatios.1.durationMinutes: responseCodeRatios[].duration must be less than 1440 minutes',
      '16:9: monitoring.alerts.responseCodeRatios.2: only one of responseCodeRatios[].code or responseCodeRatios[].codeClass should be specified',
      '16:14: monitoring.alerts.responseCodeRatios.2.id: response code alert IDs must be unique, found duplicate ID: a',
    ],
  },
  {
    name: 'response code alerts: May-2024 duration strings',
    source: testSpec({
      top:
        'monitoring:\n  alerts:\n    responseCodeRatios:\n      - {id: a, name: A, code: 500, duration: 90s, description: d}\n      - {id: b, name: B, ' +
        'code: 500, duration: 2 minutes, description: d}\n      - {id: c, name: C, code: 500, duration: 120s, description: d}',
    }),
    expected: [
      '14:47: monitoring.alerts.responseCodeRatios.0.duration: responseCodeRatios[].duration must be a multiple of 60s',
      '15:47: monitoring.alerts.responseCodeRatios.1.duration: responseCodeRatios[].duration must be in the format of XXs: time: invalid duration "2 minutes"',
    ],
  },
  {
    name: 'custom alerts: name, severity, condition',
    source: testSpec({
      top:
        'monitoring:\n  alerts:\n    customAlerts:\n      - {name: "bad_name", severityLevel: INFO, condition: {type: sql, query: ""}, description: ' +
        'd}\n      - {name: Backlog, severityLevel: WARNING, condition: {type: mql, query: q, durationMinutes: 1441}, description: d}\n      - {name: ' +
        'backlog, severityLevel: CRITICAL, condition: {type: promql, query: q}, description: d}',
    }),
    expected: [
      '14:16: monitoring.alerts.customAlerts.0.name: custom alert name must match the format ^[-A-Za-z0-9 ]+$, got: `bad_name`',
      '14:43: monitoring.alerts.customAlerts.0.severityLevel: customAlerts[].severityLevel must be either `WARNING` or `CRITICAL`',
      '14:67: monitoring.alerts.customAlerts.0.condition.type: customAlerts[].condition.type must be either `mql` or `promql`',
      '14:79: monitoring.alerts.customAlerts.0.condition.query: customAlerts[].condition.query cannot be empty',
      '15:99: monitoring.alerts.customAlerts.1.condition.durationMinutes: customAlerts[].condition.durationMinutes must be less than 1440 minutes',
      '16:16: monitoring.alerts.customAlerts.2.name: custom alert names must be unique, found duplicate Name: `backlog`',
    ],
  },
]
