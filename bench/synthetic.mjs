// Writes a synthetic service-definitions repo: N services × 2 environments, a mix of plain services,
// services with databases and jobs, so generate and handbook are measured on realistic specs.
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

/** Creates `<dir>/.repository` and `services/svc-<i>/service.yaml` for i in [0, count). */
export function writeSyntheticRepo(dir, count) {
  mkdirSync(join(dir, 'services'), {recursive: true})
  writeFileSync(join(dir, '.repository'), 'sourcegraph/managed-services (synthetic benchmark repo)\n')
  for (let i = 0; i < count; i++) {
    const id = `svc-${String(i).padStart(4, '0')}`
    const serviceDir = join(dir, 'services', id)
    mkdirSync(serviceDir, {recursive: true})
    writeFileSync(join(serviceDir, 'service.yaml'), syntheticSpec(id, i))
  }
}

function syntheticSpec(id, i) {
  const job = i % 5 === 4
  const withDb = i % 3 === 0
  const env = (envId, category) => {
    const lines = [
      `  - id: ${envId}`,
      `    projectID: ${id}-${envId}-${(i * 7919 + envId.length).toString(16).padStart(4, '0').slice(-4)}`,
      `    category: ${category}`,
      `    deploy: {type: manual, manual: {tag: insiders}}`,
      `    instances:`,
      `      resources: {cpu: 1, memory: 1Gi}`,
    ]
    if (job) lines.push(`    schedule: {cron: "0 * * * *"}`)
    else {
      lines.push(`      scaling: {minCount: 0, maxCount: ${i % 2 ? 10 : 3}}`)
      lines.push(`    domain: {type: cloudflare, cloudflare: {subdomain: ${id}, zone: ${envId === 'prod' ? 'sourcegraph.com' : 'sgdev.org'}}}`)
    }
    if (withDb) lines.push(`    resources:`, `      redis: {}`, `      postgreSQL: {databases: [primary]}`)
    return lines.join('\n')
  }
  return [
    `service:`,
    job ? `  kind: job` : undefined,
    `  id: ${id}`,
    `  name: Service ${i}`,
    `  owners: [team-${i % 12}]`,
    `  description: Synthetic service number ${i}.`,
    `  notionPageID: ${(i + 1).toString(16).padStart(32, '0')}`,
    `build:`,
    `  image: us.gcr.io/sourcegraph-dev/${id}`,
    `  source: {repo: github.com/sourcegraph/${id}, dir: .}`,
    `environments:`,
    env('dev', 'test'),
    env('prod', 'external'),
    job
      ? undefined
      : [
          `monitoring:`,
          `  alerts:`,
          `    responseCodeRatios:`,
          `      - {id: http_500, name: HTTP 500, description: Too many errors., code: 500, ratio: 0.1}`,
        ].join('\n'),
    '',
  ]
    .filter((l) => l !== undefined)
    .join('\n')
}
