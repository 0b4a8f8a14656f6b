/**
 * The one place in src/lib that reads the process environment (lint: no-restricted-properties). Lib
 * functions take the environment as a parameter; this is the fallback for the few that run a child
 * process or a client when the caller passed none.
 * @returns the environment of this process
 */
export function processEnv(): NodeJS.ProcessEnv {
  return process.env
}
