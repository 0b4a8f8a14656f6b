/**
 * A `generate` worker thread (see threads.ts): claims environments and builds them until none is
 * left, reports, waits for the word to write (or is ended), writes what it built and sends each
 * result to the main thread. On an interrupt the main thread asks it to drain: writes in flight stop
 * and remove their temp files, exactly as the main thread's own do.
 */
import {rmSync} from 'node:fs'
import {parentPort} from 'node:worker_threads'
import {haltWork} from '../io/cooperate.js'
import {repositoryFolder} from '../io/safe-folder.js'
import {WriteTracker} from '../io/write-tracker.js'
import {buildEnvironment, buildShare, WRITE_CONCURRENCY, writeEnvironment, type EnvironmentResult, type GenerateServiceInput} from './generate.js'
import {sendError} from '../io/threads.js'
import {inWindow, type FromWorker, type ThreadJob, type ToWorker} from './threads.js'

if (!parentPort) throw new Error('worker.js runs as a worker thread of msp generate')
const port = parentPort
const post = (message: FromWorker<EnvironmentResult>) => port.postMessage(message)

const writes = new WriteTracker()
let stopped = false
/** A write failed on some thread: no environment after this index starts. */
let stopAfter = Number.POSITIVE_INFINITY
let startWriting: () => void = () => undefined
const writeWord = new Promise<void>((resolve) => (startWriting = resolve))

port.on('message', (message: ToWorker<GenerateServiceInput>) => {
  switch (message.type) {
    case 'job':
      void run(message.job).catch((error: unknown) => {
        // Not a build or write failure (those are reported as such): fail the run loudly.
        setImmediate(() => {
          throw error
        })
      })
      break
    case 'write':
      startWriting()
      break
    case 'stop-after':
      stopAfter = Math.min(stopAfter, message.index)
      break
    case 'drain':
      stopped = true
      haltWork()
      void writes.drain(message.timeoutMs).finally(() => {
        for (const file of writes.tempFiles()) rmSync(file, {force: true})
        post({type: 'drained'})
      })
      break
  }
})

async function run(job: ThreadJob<GenerateServiceInput>): Promise<void> {
  const wanted = new Map(job.environments.map((e) => [e.index, e]))
  const share = await buildShare(
    job.claims,
    job.environments.map((e) => e.index),
    (index) => {
      const e = wanted.get(index)!
      const service = job.services[e.service]!
      const env = (service.spec.environments ?? []).find((candidate) => candidate.id === e.envId)
      if (!env) throw new Error(`environment ${e.envId} of ${service.id} is not in the job`)
      return buildEnvironment(service, env, job.terraformVersion, e.edition, e.tag)
    },
    () => stopped,
  )
  const built = share.mine.map((index) => ({index, planned: share.plans.get(index)!}))
  const failed = share.failed && {position: share.failed.position, error: sendError(share.failed.error)}
  post({type: 'built', count: built.length, ...(failed ? {failed} : {})})
  await writeWord
  const folder = repositoryFolder(job.root, writes)
  const failure = await inWindow(
    built,
    WRITE_CONCURRENCY,
    async ({index, planned}) => {
      const result = await writeEnvironment(folder, planned, job.check ? {check: true} : {})
      post({type: 'result', index, result, files: planned.files.map((f) => f.path)})
    },
    ({index}) => stopped || index > stopAfter,
  )
  if (failure) post({type: 'write-failed', index: failure.item.index, error: sendError(failure.error)})
  post({type: 'written'})
}
