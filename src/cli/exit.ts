/**
 * The error that ends a command with `code` after msp has printed its own message: oclif's handler
 * skips printing it (skipOclifErrorHandling) and exits with `oclif.exit`.
 * @param code - the exit code
 */
export function silentExit(code: number): Error {
  return Object.assign(new Error(`EEXIT: ${code}`), {skipOclifErrorHandling: true, code: 'EEXIT', oclif: {exit: code}})
}
