import {assertContained} from '../io/contained.js'

/**
 * Refuses a path that resolves (through symlinks) outside the repo root, so a symlinked service
 * folder can neither feed msp a spec from elsewhere nor make it write outside the repository.
 * @param root - the repo root
 * @param path - an existing path inside it (missing paths pass: their reader reports them)
 */
export function assertInsideRepo(root: string, path: string): void {
  assertContained(root, path, 'repository')
}
