/**
 * A spec loading worker thread (see load-threads.ts): claims services from the shared counter, loads
 * each as the main thread would, and sends the outcome, until none is left.
 */
import {parentPort} from 'node:worker_threads'
import {haltWork} from '../io/cooperate.js'
import {eachClaim} from '../io/threads.js'
import {loadOutcome, type FromLoadWorker, type ToLoadWorker} from './load-threads.js'

if (!parentPort) throw new Error('load-worker.js runs as a worker thread of msp')
const port = parentPort
const post = (message: FromLoadWorker) => port.postMessage(message)

port.on('message', (message: ToLoadWorker) => {
  if (message.type === 'halt') {
    haltWork()
    post({type: 'halted'})
    return
  }
  void eachClaim(message.claims, message.ids.length, async (position) => {
    post({type: 'loaded', position, outcome: await loadOutcome(message.root, message.ids[position]!, message.cache)})
    return true
  }).then(() => post({type: 'done'}))
})
