/**
 * Node process warnings that are not the user's to act on. Google's auth library probes the GCE
 * metadata server while it looks for credentials, and when the probe fails in an unusual way (a proxy,
 * a sandbox, a reset connection) it emits a `MetadataLookupWarning` — after msp has already said that no
 * credentials were found and what to do, so the user saw `(node:1234) MetadataLookupWarning: …` under
 * a complete error. The probe's outcome is already in msp's message, so the warning only shows with
 * --debug (or DEBUG=msp*); every other warning prints as Node prints it.
 */

/** Warning types that repeat what msp's own messages say. */
const QUIET = new Set(['MetadataLookupWarning'])

/**
 * Routes the quiet warning types to the debug output; other warnings reach Node's default printer.
 * @param debug - whether --debug or DEBUG=msp* is on
 * @param stderr - where debug lines go
 */
export function quietRedundantWarnings(debug: boolean, stderr: NodeJS.WritableStream): void {
  const emit = process.emitWarning.bind(process)
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const option = rest[0]
    const type = typeof option === 'string' ? option : ((option as {type?: string} | undefined)?.type ?? (warning instanceof Error ? warning.name : 'Warning'))
    if (QUIET.has(type)) {
      if (debug) stderr.write(`msp: debug: ${type}: ${warning instanceof Error ? warning.message : warning}\n`)
      return
    }
    ;(emit as (...args: unknown[]) => void)(warning, ...rest)
  }) as typeof process.emitWarning
}
