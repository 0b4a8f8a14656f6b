/**
 * A benchmark hook: plan (and optionally write) Terraform for N synthetic services × 2
 * environments, without YAML parsing, so the generator's own cost can be measured apart from spec
 * loading. The synthetic mix follows bench/synthetic.mjs: every 5th service is a job, every 3rd has
 * Redis + PostgreSQL, services alternate maxCount 10 / 3.
 */
import {SpecSchema, type Category, type SpecInput} from '../spec/schema.js'
import {generateServices, planService, type GenerateServiceInput} from './generate.js'

/** The i-th synthetic service, with the schema's defaults applied as the loader would. */
export function syntheticService(i: number): GenerateServiceInput {
  const id = `svc-${String(i).padStart(4, '0')}`
  const job = i % 5 === 4
  const withDb = i % 3 === 0
  const env = (envId: string, category: Category) => ({
    id: envId,
    projectID: `${id}-${envId}-${(i * 7919 + envId.length).toString(16).padStart(4, '0').slice(-4)}`,
    category,
    deploy: {type: 'manual' as const, manual: {tag: 'insiders'}},
    instances: {resources: {cpu: 1, memory: '1Gi'}, ...(job ? {} : {scaling: {minCount: 0, maxCount: i % 2 ? 10 : 3}})},
    ...(job
      ? {schedule: {cron: '0 * * * *'}}
      : {domain: {type: 'cloudflare', cloudflare: {subdomain: id, zone: envId === 'prod' ? 'sourcegraph.com' : 'sgdev.org'}}}),
    ...(withDb ? {resources: {redis: {}, postgreSQL: {databases: ['primary']}}} : {}),
  })
  const input: SpecInput = {
    service: {id, name: `Service ${i}`, owners: [`team-${i % 12}`], description: `Synthetic service number ${i}.`, ...(job ? {kind: 'job' as const} : {})},
    build: {image: `us.gcr.io/sourcegraph-dev/${id}`, source: {repo: `github.com/sourcegraph/${id}`, dir: '.'}},
    environments: [env('dev', 'test'), env('prod', 'external')],
    ...(job
      ? {}
      : {monitoring: {alerts: {responseCodeRatios: [{id: 'http_500', name: 'HTTP 500', description: 'Too many errors.', code: 500, ratio: 0.1}]}}}),
  }
  return {id, spec: SpecSchema.parse(input)}
}

export interface BenchResult {
  environments: number
  files: number
  bytes: number
  planMs: number
  writeMs?: number
}

/**
 * Plans Terraform for `count` synthetic services × 2 environments in memory and, given `root`,
 * also writes it there (a second call on the same root measures the unchanged path).
 * @param options - number of services and an optional repo root to write into
 */
export async function benchmarkGenerate(options: {count: number; root?: string}): Promise<BenchResult> {
  const services = Array.from({length: options.count}, (_, i) => syntheticService(i))
  const start = performance.now()
  let files = 0
  let bytes = 0
  let environments = 0
  for (const s of services) {
    for (const env of planService(s)) {
      environments++
      for (const f of env.files) {
        files++
        bytes += f.contents.length
      }
    }
  }
  const planMs = performance.now() - start
  if (options.root === undefined) return {environments, files, bytes, planMs}
  const writeStart = performance.now()
  await generateServices({root: options.root, services})
  return {environments, files, bytes, planMs, writeMs: performance.now() - writeStart}
}
