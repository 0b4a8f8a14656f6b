/**
 * Work that must finish before an interrupted msp exits (stop a child process and wait for it), so
 * Ctrl-C never leaves an orphan behind. The entry layer's interrupt handler awaits these; lib code
 * registers them and unregisters when the work ends on its own.
 */

const cleanups = new Set<() => Promise<void>>()

/**
 * Registers a clean-up to run (and be awaited) when msp is interrupted; returns the function that removes it.
 * @param cleanup - stops the work; must settle quickly
 */
export function onShutdown(cleanup: () => Promise<void>): () => void {
  cleanups.add(cleanup)
  return () => void cleanups.delete(cleanup)
}

/**
 * Runs every registered clean-up and waits for them, at most `timeoutMs`.
 * @param timeoutMs - the longest wait
 */
export async function runShutdownCleanups(timeoutMs: number): Promise<void> {
  const all = [...cleanups].map((c) => c().catch(() => undefined))
  cleanups.clear()
  let timer: NodeJS.Timeout | undefined
  await Promise.race([Promise.all(all), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))])
  clearTimeout(timer)
}
