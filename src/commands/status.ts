import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {MspCommand, timeoutFlag} from '../cli/base-command.js'
import {ExitCode, setExitCode} from '../cli/exit.js'
import {FLEET_STATUS_CONCURRENCY, fleetFailureLines, readFleetStatus, renderFleetStatusTable} from '../lib/cloud/fleet-status.js'
import {realSleep} from '../lib/cloud/retry.js'
import {assertNoFailures, readLiveStatus, renderStatusTable, statusFailureLines} from '../lib/cloud/status.js'
import {UsageError} from '../lib/io/errors.js'
import {createProgress} from '../lib/io/progress.js'
import {compactJson, watch} from '../lib/io/watch.js'
import {loadFleet} from '../lib/fleet/report.js'
import {CATEGORIES} from '../lib/spec/schema.js'

/** One reading: the JSON document, the table, the stderr lines and whether some environment failed. */
type Snapshot = {doc: object; table: string; problems: string[]; failed: boolean; fail?: () => void}

export default class Status extends MspCommand {
  static override summary = 'Show what is running: the live Cloud Run state of a service, or of the whole fleet (--all).'
  static override description =
    `Reads the Cloud Run service (or job, for kind: job) of every environment, or of one, through the Cloud Run Admin API: URL, latest ready and latest ` +
    `created revision, traffic split, ready condition, last update, image and instance bounds; for jobs the last executions and their outcome. A newest ` +
    `revision that is not the ready one (still starting, or failed while traffic stays on the older one) is flagged "(not ready)" and its row is yellow.

--all reads every environment of every service (--category: of one category) into one table, ${FLEET_STATUS_CONCURRENCY} at a time, with progress on ` +
    `stderr. An environment that cannot be read (no access to its project, API disabled) is an error row naming its project, and its error and hint go to ` +
    `stderr; the others are still shown. Exit status: 0 when every environment was read, 1 when any could not be (the table or --json document is ` +
    `printed all the same).

--watch refreshes every --interval seconds (default 10) until Ctrl-C (exit 130): on a terminal the table is redrawn in place, otherwise snapshots are ` +
    `appended under a time line (with --json: one compact document per line).

Credentials are Google's Application Default Credentials (gcloud auth application-default login, GOOGLE_APPLICATION_CREDENTIALS, or the metadata server). ` +
    `With CLOUD_RUN_EMULATOR_HOST=host:port the API is reached over plain HTTP without credentials. Permission errors name the project and the Entitle ` +
    `link to request read access; transient failures are retried.`
  static override examples = [
    '<%= config.bin %> status cody-analytics',
    '<%= config.bin %> status cody-analytics prod --json',
    '<%= config.bin %> status --all',
    '<%= config.bin %> status --category external --watch --interval 30',
  ]
  static override usage = ['SERVICE [ENV] [--watch] [--json]', '--all|--category CATEGORY [--watch] [--json]']
  static override args = {
    service: Args.string({description: 'service id (a folder under services/)'}),
    env: Args.string({description: 'environment id (default: every environment)'}),
  }
  static override flags = {
    all: Flags.boolean({description: 'every environment of every service, in one table', exclusive: ['category']}),
    category: Flags.option({options: CATEGORIES, description: 'every environment of this category, of every service'})(),
    watch: Flags.boolean({char: 'w', description: 'refresh until Ctrl-C'}),
    interval: Flags.integer({min: 2, max: 3600, dependsOn: ['watch'], description: 'with --watch: seconds between refreshes [default: 10]'}),
    timeout: timeoutFlag({description: 'give up after this many seconds: one limit for all reads (with --watch: for each refresh) [default: 20]'}),
  }
  async run(): Promise<object | void> {
    const {args, flags} = await this.parse(Status)
    const root = this.repoRoot(flags.repo)
    const timeoutMs = flags.timeout === undefined ? undefined : flags.timeout * 1000
    const json = this.jsonEnabled()
    let take: (progress: boolean) => Promise<Snapshot>
    if (flags.all || flags.category !== undefined) {
      if (args.service !== undefined)
        throw new UsageError('--all and --category read every service: give no service id', {hint: 'msp status --all, or msp status <service> [env]'})
      const {specs, warnings} = await loadFleet(root, this.serviceLoader())
      this.printWarnings(warnings)
      take = async (progress) => {
        const bar = progress ? createProgress(this.io.stderr, this.io.env) : undefined
        bar?.step('Reading the live state of the fleet')
        const onProgress = (done: number, total: number) => bar?.count(done, total)
        const report = await readFleetStatus({specs, category: flags.category, env: this.io.env, timeoutMs, onProgress}).finally(() => bar?.end())
        const table = renderFleetStatusTable(report, this.out.style, this.out.tableWidth)
        return {doc: report, table, problems: fleetFailureLines(report), failed: report.failed > 0}
      }
    } else {
      const service = await this.serviceArg(root, args.service)
      const environments = args.env === undefined ? service.spec.environments : [this.environmentArg(service, args.env)]
      take = async () => {
        const report = await readLiveStatus({service: service.spec.service, environments, env: this.io.env, timeoutMs})
        const table = report.statuses.length > 0 ? renderStatusTable(report.statuses, this.out.style, this.out.tableWidth) : ''
        // Without --watch a failure is the command's error (one environment: that error itself).
        const fail = () => assertNoFailures(report)
        return {doc: {service: service.id, environments: report.statuses}, table, problems: statusFailureLines(report), failed: false, fail}
      }
    }
    if (flags.watch) {
      const snapshot = async () => {
        const s = await take(false)
        return json ? compactJson(s.doc) : [s.table, ...s.problems].filter(Boolean).join('\n')
      }
      const live = this.out.stdoutIsTTY && !json
      const write = (t: string) => this.out.result(t)
      return watch({snapshot, write, live, framed: !json, intervalMs: (flags.interval ?? 10) * 1000, now: () => this.io.now(), sleep: realSleep})
    }
    const snap = await take(true)
    if (!json && snap.table) this.out.result(snap.table)
    snap.fail?.()
    for (const line of snap.problems) this.out.info(line)
    // Every environment that answered is shown; one that did not still makes the exit status 1.
    if (snap.failed) setExitCode(ExitCode.error)
    return snap.doc
  }
}
