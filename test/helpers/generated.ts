import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {DEFAULT_EDITION, type Edition} from '../../src/lib/edition/editions.js'
import {generateServices, planEnvironment, type GenerateOptions, type GenerateServiceInput, type PlannedEnvironment} from '../../src/lib/generate/generate.js'
import {DEFAULT_TERRAFORM_VERSION} from '../../src/lib/terraform/version.js'

/** One environment as `msp generate` wrote it: its files by path relative to the environment folder. */
export interface GeneratedEnvironment {
  serviceId: string
  envId: string
  files: Map<string, Buffer>
}

/**
 * Runs `msp generate`'s own path (generateServices, as the command calls it) into a fresh folder
 * and reads back every file it wrote, so tests see the bytes a user's repository gets.
 * @param services - loaded services
 * @param options - the selection, Terraform version and editions, as the command passes them
 */
export async function generateToFolder(
  services: readonly GenerateServiceInput[],
  options: Omit<GenerateOptions, 'root' | 'services'> = {},
): Promise<GeneratedEnvironment[]> {
  const root = mkdtempSync(path.join(tmpdir(), 'msp-generated-'))
  try {
    const summary = await generateServices({...options, root, services})
    return summary.environments.map((env) => ({
      serviceId: env.serviceId,
      envId: env.envId,
      files: new Map(env.files.filter((f) => f.outcome !== 'removed').map((f) => [f.path.slice(env.dir.length + 1), readFileSync(path.join(root, f.path))])),
    }))
  } finally {
    rmSync(root, {recursive: true, force: true})
  }
}

/**
 * One environment rendered in memory by the step `msp generate` runs before writing (planEnvironment),
 * for tests that read many environments and need no files on disk.
 * @param service - a loaded service
 * @param envId - one of its environments
 * @param edition - the edition (default: the default edition, as generate without --edition)
 */
export function renderEnvironment(service: GenerateServiceInput, envId: string, edition: Edition = DEFAULT_EDITION): PlannedEnvironment {
  const env = (service.spec.environments ?? []).find((e) => e.id === envId)
  if (!env) throw new Error(`no environment ${envId} in ${service.id}`)
  return planEnvironment(service, env, DEFAULT_TERRAFORM_VERSION, edition)
}
