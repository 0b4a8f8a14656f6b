// Runs a command and samples the resident memory of its whole process tree (msp and the D2 process it
// starts) every 20 ms from /proc, so a renderer in a child process is counted, not hidden. Linux only.
import {spawn} from 'node:child_process'
import {readdirSync, readFileSync} from 'node:fs'

function descendants(pid) {
  const out = [pid]
  for (let i = 0; i < out.length; i++) {
    let tasks = []
    try {
      tasks = readdirSync(`/proc/${out[i]}/task`)
    } catch {
      continue
    }
    for (const task of tasks) {
      try {
        for (const child of readFileSync(`/proc/${out[i]}/task/${task}/children`, 'utf8').split(' ').filter(Boolean)) out.push(Number(child))
      } catch {
        // the task ended between the two reads
      }
    }
  }
  return out
}

function rssKb(pid) {
  try {
    return Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
  } catch {
    return 0
  }
}

/**
 * Runs `node argv…` and resolves with its exit status, wall time, stderr and the peak summed RSS of
 * its process tree in MB.
 */
export function runTree(node, argv, env) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint()
    const child = spawn(node, argv, {env, stdio: ['ignore', 'pipe', 'pipe']})
    let stderr = ''
    let peakKb = 0
    child.stdout.resume()
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const sample = () => {
      const kb = descendants(child.pid).reduce((sum, pid) => sum + rssKb(pid), 0)
      if (kb > peakKb) peakKb = kb
    }
    const timer = setInterval(sample, 20)
    child.on('error', reject)
    child.on('close', (status) => {
      clearInterval(timer)
      resolve({status, ms: Number(process.hrtime.bigint() - start) / 1e6, stderr, peakMb: peakKb / 1024})
    })
  })
}
