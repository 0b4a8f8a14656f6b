/**
 * All stacks of one environment, in provisioning order.
 */
import type {Edition} from '../edition/editions.js'
import type {TfConfig} from '../terraform/model.js'
import {CrossStackLinks} from './builder.js'
import {cloudrunStack, type CloudrunStackOptions} from './cloudrun/index.js'
import {iamStack} from './iam.js'
import {monitoringStack} from './monitoring/index.js'
import type {StackName} from './naming.js'
import {projectStack} from './project.js'
import type {Environment, Spec} from '../spec/schema.js'
import {tfcworkspacesStack} from './tfcworkspaces.js'

export interface EnvironmentStack {
  name: StackName
  config: TfConfig
}

/**
 * Builds the five stacks of one environment (`project`, `iam`, `cloudrun`, `monitoring`, `tfcworkspaces`); none is optional.
 * @param spec - the service spec
 * @param env - the environment
 * @param edition - the release of the original whose output to reproduce
 * @param options - the service's side files (BigQuery table schemas)
 */
export function environmentStacks(spec: Spec, env: Environment, edition: Edition, options: CloudrunStackOptions = {}): EnvironmentStack[] {
  // Values a stack reads from another one are registered while it is built; each producing stack then
  // gets exactly the `cross-stack-output-*` outputs read from it, as CDKTF adds them.
  const links = new CrossStackLinks()
  const stacks: EnvironmentStack[] = [
    {name: 'project', config: projectStack(spec, env, edition)},
    {name: 'iam', config: iamStack(spec, env, edition, links)},
    {name: 'cloudrun', config: cloudrunStack(spec, env, edition, options, links)},
    {name: 'monitoring', config: monitoringStack(spec, env, edition, links)},
    {name: 'tfcworkspaces', config: tfcworkspacesStack(spec, env, edition)},
  ]
  return stacks.map(({name, config}) => ({name, config: links.withOutputs(config)}))
}
