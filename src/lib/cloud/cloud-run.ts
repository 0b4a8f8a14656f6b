/**
 * A thin wrapper over `@google-cloud/run` (Cloud Run Admin API v2). The Google client and google-gax are
 * imported lazily inside {@link connectCloudRun}, so commands that never call Google do not pay ~130 ms
 * of start-up for them. Only `import type` appears at the top level (erased at build time).
 */
import type {protos} from '@google-cloud/run'
import {connectGoogle, GoogleCallError, type ConnectOptions, type GoogleFailureKind} from './google-client.js'

export type RunService = protos.google.cloud.run.v2.IService
export type RunRevision = protos.google.cloud.run.v2.IRevision
export type RunJob = protos.google.cloud.run.v2.IJob
export type RunExecution = protos.google.cloud.run.v2.IExecution

/** The reads `msp status` makes; each one retried and bounded by a deadline. */
export interface CloudRunApi {
  getService(name: string): Promise<RunService>
  getRevision(name: string): Promise<RunRevision>
  getJob(name: string): Promise<RunJob>
  /** The newest executions of a job, newest first (one page, no auto-pagination). */
  listExecutions(jobName: string, pageSize: number): Promise<RunExecution[]>
}

/** The kinds of failure a user can act on (shared by every Google API msp calls). */
export type CloudRunFailureKind = GoogleFailureKind

/** A failed Cloud Run call: the shared Google call error (status, kind, token-free message). */
export const CloudRunCallError = GoogleCallError
export type CloudRunCallError = GoogleCallError

/**
 * Resolves credentials and builds the Cloud Run API: plain HTTP REST without credentials when
 * CLOUD_RUN_EMULATOR_HOST is set, else Application Default Credentials over HTTPS REST.
 * @param options - environment, optional injected auth client, retry policy and sleep
 */
export async function connectCloudRun(options: ConnectOptions): Promise<CloudRunApi> {
  const google = await connectGoogle({...options, emulatorVariable: 'CLOUD_RUN_EMULATOR_HOST', apiName: 'the Cloud Run API'})
  const {v2} = await import('@google-cloud/run')
  const clientOptions = google.clientOptions as ConstructorParameters<typeof v2.ServicesClient>[0]
  const services = new v2.ServicesClient(clientOptions)
  const revisions = new v2.RevisionsClient(clientOptions)
  const jobs = new v2.JobsClient(clientOptions)
  const executions = new v2.ExecutionsClient(clientOptions)
  // gax's own retries are off (retry: null): retrying happens once, in connectGoogle, with our policy and deadline.
  const callOptions = {retry: null}
  return {
    getService: (name) => google.call(async () => (await services.getService({name}, callOptions))[0]),
    getRevision: (name) => google.call(async () => (await revisions.getRevision({name}, callOptions))[0]),
    getJob: (name) => google.call(async () => (await jobs.getJob({name}, callOptions))[0]),
    listExecutions: (parent, pageSize) =>
      google.call(async () => (await executions.listExecutions({parent, pageSize}, {...callOptions, autoPaginate: false}))[0]),
  }
}
