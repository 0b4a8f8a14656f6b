/** Levenshtein distance between two strings (small inputs: ids and YAML keys). */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!
    prev[0] = i
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1))
      diag = up
    }
  }
  return prev[b.length]!
}

/**
 * The candidate closest to `input`, if it is close enough to be a plausible typo.
 * @param input - what the user typed
 * @param candidates - the valid values
 */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of candidates) {
    const d = editDistance(input.toLowerCase(), candidate.toLowerCase())
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  if (best === undefined) return undefined
  const limit = Math.max(2, Math.floor(Math.max(input.length, best.length) / 3))
  return bestDistance <= limit || best.startsWith(input) ? best : undefined
}

/**
 * The did-you-mean hint for a value that is not one of a fixed set: `did you mean "job"? valid values:
 * service, job`, and the facts for --json. The flag parser and the interactive questions both use it,
 * so a value typed in a prompt gets the hint the same value gets as a flag.
 * @param input - what the user typed
 * @param valid - the valid values
 * @param validLabel - how the list is introduced ("valid values")
 */
export function suggestionHint(
  input: string,
  valid: readonly string[],
  validLabel: string,
): {hint: string; details: {valid: readonly string[]; suggestion?: string}} {
  const close = closestMatch(input, valid)
  return {hint: `${close ? `did you mean "${close}"? ` : ''}${validLabel}: ${valid.join(', ')}`, details: {valid, ...(close ? {suggestion: close} : {})}}
}
