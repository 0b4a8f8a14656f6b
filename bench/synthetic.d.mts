/** Types of synthetic.mjs, for the tests that build the same realistic repositories as the bench. */
export function writeSyntheticRepo(dir: string, count: number): void
