/**
 * Provider pins per edition live with the other edition facts (src/lib/edition/editions.ts);
 * this module names them for the stacks.
 */
export type {ProviderName, ProviderPin} from '../edition/editions.js'
