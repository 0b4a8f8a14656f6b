// Preloaded with `node --import` in the memory pass of the benchmark: reports the peak RSS of the
// process and its CPU time (user + system, ms) on exit to the file named by MSP_BENCH_RSS_FILE.
import {appendFileSync} from 'node:fs'

const file = process.env.MSP_BENCH_RSS_FILE
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage()
    appendFileSync(file, `${usage.maxRSS} ${(usage.userCPUTime + usage.systemCPUTime) / 1000}\n`)
  })
}
