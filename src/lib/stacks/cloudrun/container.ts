/**
 * What the Cloud Run container is configured with, collected while the resources it uses are
 * declared (the original's `builder.Builder`): env vars in insertion order, secret volumes and their
 * mounts, and the resources that must exist before the service or job is created.
 */
import type {TfObject, TfText} from '../../terraform/model.js'

/** Mode of mounted secret files: 0444, read-only. */
export const SECRET_FILE_MODE = 292

export class ContainerConfig {
  readonly env: TfObject[] = []
  readonly volumes: TfObject[] = []
  readonly mounts: TfObject[] = []
  readonly dependsOn: string[] = []

  addEnv(name: string, value: TfText): void {
    this.env.push({name, value})
  }

  addSecretEnv(name: string, secret: string, version: string): void {
    this.env.push({name, value_source: {secret_key_ref: {secret, version}}})
  }

  /** A volume holding one secret version as file `path`. */
  addSecretVolume(name: string, path: string, secret: TfText, version: TfText): void {
    this.volumes.push({name, secret: {secret, items: [{version, path, mode: SECRET_FILE_MODE}]}})
  }

  addVolumeMount(name: string, mountPath: string): void {
    this.mounts.push({name, mount_path: mountPath})
  }

  addDependency(address: string): void {
    this.dependsOn.push(address)
  }
}
