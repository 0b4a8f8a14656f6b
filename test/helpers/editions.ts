import type {Edition} from '../../src/lib/edition/editions.js'

/** The edition of the published May-2024 handbook pages (test/fixtures/handbook). */
export const MAY_2024: Edition = '2024-05'
/** The final public version (the default). */
export const AUG_2024: Edition = '2024-08'
