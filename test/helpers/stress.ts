/**
 * How hard the heavy loops work: the SIGKILL chaos loop, the fuzzers, the property tests and the
 * concurrency test take their counts from here. `npm test` runs a fast default that still exercises
 * every path; `npm run test:stress` (MSP_STRESS=1) runs the full counts.
 */
export const STRESS = process.env.MSP_STRESS === '1'

/**
 * The count of one loop: `full` under MSP_STRESS=1, else `fast`.
 * @param full - the count the loop was designed with
 * @param fast - the count of an ordinary test run
 */
export function iterations(full: number, fast: number): number {
  return STRESS ? full : fast
}
