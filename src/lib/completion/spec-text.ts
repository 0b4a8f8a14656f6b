/**
 * The one reading of a spec by completion: the text of `services/<id>/service.yaml`, or undefined when
 * completion has nothing to read there. The full completion sources (sources.ts) parse the text; the
 * start-up fast path uses the same answer to offer nothing, as they would, for a spec that is not read.
 * Node built-ins only, for the fast path.
 */
import {join} from 'node:path'
import {assertServiceContained} from '../io/contained.js'
import {UserError} from '../io/errors.js'
import {readBoundedTextSync} from '../io/read-text.js'
import {isValidId} from '../repo/ids.js'
import {serviceSpecFile} from '../spec/layout.js'

/**
 * The spec text completion parses, or undefined: no such service, an id that is not one, or a spec
 * msp refuses to read (a link out of the repository, not a regular file, above the size limit).
 * @param root - the repo root
 * @param serviceId - the service id typed on the line
 */
export function completionSpecText(root: string, serviceId: string): string | undefined {
  if (!isValidId(serviceId)) return undefined
  try {
    // As the main loader: no spec through a link out of the repository, regular files only, bounded.
    // A service that does not exist (yet) simply has no environments to offer.
    assertServiceContained(root, serviceId)
    return readBoundedTextSync(join(root, serviceSpecFile(serviceId)))
  } catch (error) {
    // A completion never prints an error: a spec msp refuses to read offers nothing.
    if (error instanceof UserError) return undefined
    throw error
  }
}
