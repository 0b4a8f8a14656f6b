/**
 * The BigQuery dataset, the workload's editor grant and one table per `tables[]` entry (the
 * original's `internal/resource/bigquery`); tables carry the dataset's labels.
 */
import type {BigQueryDataset, Environment, Spec} from '../../spec/schema.js'
import {bigQueryDatasetID, bigQueryProjectOverride, environmentLocation} from '../../spec/derived.js'
import type {StackBuilder} from '../builder.js'
import type {TfText} from '../../terraform/model.js'
import type {ContainerConfig} from './container.js'

export function bigquery(
  b: StackBuilder,
  p: TfText,
  spec: Spec,
  env: Environment,
  bq: BigQueryDataset,
  workloadMember: TfText,
  schemas: Readonly<Record<string, string>> | undefined,
  container: ContainerConfig,
): void {
  const preventDestroy = !env.allowDestroys
  // The spec's project is a plain string; the default is the project stack's token.
  const project = bigQueryProjectOverride(env) ?? p
  const datasetId = bigQueryDatasetID(spec, env)
  const labels = {service: spec.service.id}
  const dataset = b.resource('google_bigquery_dataset', 'bigquery-dataset', {
    project,
    dataset_id: datasetId,
    location: environmentLocation(env),
    labels,
    lifecycle: {prevent_destroy: preventDestroy},
  })
  const editor = b.resource('google_bigquery_dataset_iam_member', 'bigquery-workload_dataset_editor', {
    project,
    dataset_id: dataset.ref('dataset_id'),
    role: 'roles/bigquery.dataEditor',
    member: workloadMember,
  })
  for (const table of bq.tables ?? []) {
    const schema = schemas?.[table]
    // Without the schema file (only possible when the loader was bypassed) the table is left out.
    if (schema === undefined) continue
    const t = b.resource('google_bigquery_table', `bigquery-${table}-table`, {
      project,
      dataset_id: dataset.ref('dataset_id'),
      table_id: table,
      schema,
      labels,
      lifecycle: {prevent_destroy: preventDestroy},
      // Writing to the table needs the editor grant first.
      depends_on: [editor.address],
    })
    container.addDependency(t.address)
  }
  container.addEnv('BIGQUERY_PROJECT_ID', project)
  // bigquery.go hands the dataset's own `dataset_id` back.
  container.addEnv('BIGQUERY_DATASET_ID', dataset.ref('dataset_id'))
}
