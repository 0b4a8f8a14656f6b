/**
 * The spec as the stacks (and the handbook, through `handbook/spec-view.ts`) read it: the zod types
 * from `src/lib/spec/schema.ts`, under the names the stack modules were written against.
 * New code should import `Spec` / `Environment` from the schema directly.
 */
import type {Environment, Spec} from '../spec/schema.js'

export type SpecView = Spec
export type EnvironmentView = Environment
