// Preloaded with `node --import` in the memory pass of the benchmark: reports the peak RSS of the
// process on exit to the file named by MSP_BENCH_RSS_FILE (kept out of the timed runs).
import {appendFileSync} from 'node:fs'

const file = process.env.MSP_BENCH_RSS_FILE
if (file) {
  process.on('exit', () => {
    appendFileSync(file, `${process.resourceUsage().maxRSS}\n`)
  })
}
