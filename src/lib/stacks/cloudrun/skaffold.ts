/**
 * `skaffoldsource.tar.gz`: the Skaffold configuration of the rollout pipeline's Cloud Run custom
 * target (what the original's clouddeploy/skaffold.yaml does, written here in msp's own words),
 * archived as one `skaffold.yaml` entry. The bytes are the same on every run
 * and machine: fixed mtime (0), owner (0/0), mode 0444, no names, and a gzip header with mtime 0,
 * no file name and OS byte 255 ("unknown", what Go's gzip writer uses).
 */
import {gzipSync} from 'node:zlib'

/** The file the cloudrun stack's bucket object uploads, written next to its cdk.tf.json. */
export const SKAFFOLD_SOURCE_FILE = 'skaffoldsource.tar.gz'

// The custom target contract (https://cloud.google.com/deploy/docs/custom-targets): the render
// action stores a deploy script and reports it as the manifest; the deploy action runs that script.
// Action names and deploy parameters (customTarget/serviceID, image, projectID, tag) are the ones the
// pipeline's custom target type and targets use; the Cloud Run service is `<service>-<target>`.
const CLI_IMAGE = 'gcr.io/google.com/cloudsdktool/google-cloud-cli'

/**
 * One custom action: a Cloud SDK container running `script` with bash, stopping at the first failing
 * command. Unset parameters expand to empty strings (no `set -u`), as in the original: a release
 * without the tag parameter renders `--image=<image>:` rather than failing.
 */
function customAction(name: string, container: string, script: readonly string[]): string[] {
  const header = [
    `- name: ${name}`,
    '  containers:',
    `  - name: ${container}`,
    `    image: ${CLI_IMAGE}`,
    "    command: ['/bin/bash']",
    '    args:',
    "    - '-c'",
    '    - |-',
  ]
  return [...header, ...['set -eo pipefail', ...script].map((line) => `      ${line}`)]
}

const SKAFFOLD_YAML = [
  'apiVersion: skaffold/v4beta7',
  'kind: Config',
  'metadata:',
  '  name: CloudRunServiceImageDeployment',
  'customActions:',
  ...customAction('cloud-run-image-deploy-render', 'Render', [
    'SERVICE="${CLOUD_DEPLOY_customTarget_serviceID}-${CLOUD_DEPLOY_TARGET}"',
    'IMAGE="${CLOUD_DEPLOY_customTarget_image}:${CLOUD_DEPLOY_customTarget_tag}"',
    'echo "gcloud run deploy ${SERVICE} --project=${CLOUD_DEPLOY_customTarget_projectID} --image=${IMAGE} --region=${CLOUD_DEPLOY_LOCATION}" > deploy.sh',
    'gsutil cp deploy.sh "${CLOUD_DEPLOY_OUTPUT_GCS_PATH}/deploy.sh"',
    'printf \'{"resultStatus": "SUCCEEDED", "manifestFile": "%s/deploy.sh"}\\n\' "${CLOUD_DEPLOY_OUTPUT_GCS_PATH}" > results.json',
    'gsutil cp results.json "${CLOUD_DEPLOY_OUTPUT_GCS_PATH}/results.json"',
  ]),
  ...customAction('cloud-run-image-deploy', 'Deploy', [
    'gsutil cp "${CLOUD_DEPLOY_MANIFEST_GCS_PATH}" deploy.sh',
    'bash deploy.sh',
    'printf \'{"resultStatus": "SUCCEEDED"}\\n\' > results.json',
    'gsutil cp results.json "${CLOUD_DEPLOY_OUTPUT_GCS_PATH}/results.json"',
  ]),
  '',
].join('\n')

const BLOCK = 512

/** Writes `value` as a NUL-terminated octal field of `width` bytes at `offset`. */
function octal(header: Buffer, offset: number, width: number, value: number): void {
  header.write(`${value.toString(8).padStart(width - 1, '0')}\0`, offset, width, 'ascii')
}

/** A ustar archive of one regular file with fixed metadata. */
function tar(name: string, data: Buffer): Buffer {
  const header = Buffer.alloc(BLOCK)
  header.write(name, 0, 100, 'utf8')
  octal(header, 100, 8, 0o444)
  octal(header, 108, 8, 0)
  octal(header, 116, 8, 0)
  octal(header, 124, 12, data.length)
  octal(header, 136, 12, 0)
  header.fill(' ', 148, 156)
  header.write('0', 156, 1, 'ascii')
  header.write('ustar\0', 257, 6, 'ascii')
  header.write('00', 263, 2, 'ascii')
  let sum = 0
  for (const byte of header) sum += byte
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii')
  const padding = Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK)
  // Two zero blocks end the archive.
  return Buffer.concat([header, data, padding, Buffer.alloc(2 * BLOCK)])
}

let cached: Buffer | undefined

/** The archive's bytes (computed once per process). */
export function skaffoldSourceArchive(): Buffer {
  if (cached) return cached
  const gz = gzipSync(tar('skaffold.yaml', Buffer.from(SKAFFOLD_YAML, 'utf8')), {level: 9})
  // zlib writes mtime 0 and no name; pin the OS byte so the bytes do not depend on the build platform.
  gz[9] = 255
  cached = gz
  return cached
}
