import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {MspCommand, timeoutFlag, type UrlResult} from '../cli/base-command.js'
import {UsageError} from '../lib/io/errors.js'
import {LOG_SEVERITIES} from '../lib/links/gcp.js'
import {guardStream} from '../lib/io/output.js'
import {logsShortcut} from '../lib/links/shortcuts.js'
import {runLogsSession} from '../lib/logs/session.js'

export default class Logs extends MspCommand {
  static override summary = 'Open the GCP Logs Explorer for a service environment, print the URL, or read the logs in the terminal.'
  static override description =
    `Builds the Logs Explorer URL for the Cloud Run service (or job) of one environment, with the query and summary fields the ` +
    `original \`sg msp logs\` used. The browser opens only when stdout is a terminal; piped, with --no-open or in CI the URL alone is printed, so $(msp ` +
    `logs <service> <env>) works in scripts. $BROWSER is honoured.

--severity (this level and above), --grep (text anywhere in the entry), --revision (one revision of a service) and --execution (one execution of a job) ` +
    `are added to the Logging query itself, in the link and in what --print reads, so --limit counts matching entries.

--print reads the same entries (same filter) through the Cloud Logging API and prints them oldest first, one line each: time (UTC), severity, revision or ` +
    `execution, and the message (textPayload, or jsonPayload.message followed by the other fields). --since (default 1h) and --limit (default 100, the ` +
    `newest ones) bound it; --json prints one entry per line (NDJSON). --follow (-f) keeps printing new entries (each once, in order, at most one API call ` +
    `a second) until Ctrl-C or until the reader of stdout goes away (| head -1). Credentials are Application Default Credentials; ` +
    `LOGGING_EMULATOR_HOST=host:port reads from a local server over plain HTTP.`
  static override examples = [
    '<%= config.bin %> logs cody-analytics prod',
    'URL=$(<%= config.bin %> logs gatekeeper prod)',
    '<%= config.bin %> logs cody-analytics prod --print --since 15m',
    '<%= config.bin %> logs cody-analytics prod -f',
    '<%= config.bin %> logs cody-analytics prod --print --severity error --grep timeout',
    '<%= config.bin %> logs cody-analytics prod --print --limit 500 --json | jq -r \'select(.severity == "ERROR") | .textPayload\'',
  ]
  static override usage = [
    'SERVICE ENV [-c service] [FILTERS] [--[no-]open] [--json]',
    'SERVICE ENV --print|--follow [FILTERS] [--since 1h] [--limit 100] [--json]',
  ]
  static override args = {
    service: Args.string({description: 'service id (a folder under services/)'}),
    env: Args.string({description: 'environment id of that service'}),
  }
  static override flags = {
    component: Flags.option({char: 'c', options: ['service'] as const, default: 'service' as const, description: 'component whose logs to show'})(),
    open: Flags.boolean({allowNo: true, default: true, description: 'open the browser (on a terminal); --no-open prints the URL'}),
    print: Flags.boolean({description: 'print the log entries in the terminal instead of opening the Logs Explorer', exclusive: ['follow']}),
    follow: Flags.boolean({char: 'f', description: 'print the entries, then keep printing new ones until Ctrl-C'}),
    since: Flags.string({description: 'with --print/--follow: oldest entry, as a duration (30s, 15m, 1h, 2d) or an RFC 3339 time [default: 1h]'}),
    limit: Flags.integer({description: 'with --print/--follow: at most this many entries, the newest ones [default: 100]'}),
    severity: Flags.option({options: LOG_SEVERITIES, description: 'only entries of this severity and above'})(),
    grep: Flags.string({description: 'only entries containing this text (anywhere in the entry)'}),
    revision: Flags.string({description: 'only entries of this revision (services)'}),
    execution: Flags.string({description: 'only entries of this execution (jobs)'}),
    timeout: timeoutFlag({description: 'with --print: give up after this many seconds, one limit for all reads (--follow runs until stopped) [default: 20]'}),
  }

  async run(): Promise<UrlResult | void> {
    const {args, flags} = await this.parse(Logs)
    const service = await this.serviceArg(this.repoRoot(flags.repo), args.service)
    const env = this.environmentArg(service, args.env)
    const kind = service.spec.service.kind === 'job' ? 'job' : 'service'
    const filters = {severity: flags.severity, grep: flags.grep, revision: flags.revision, execution: flags.execution}
    if (!flags.print && !flags.follow) {
      if (flags.since !== undefined || flags.limit !== undefined) throw new UsageError('--since and --limit need --print or --follow')
      const {url, meta} = logsShortcut(service, env, filters)
      return this.deliverUrl(url, meta, flags.open)
    }
    await runLogsSession({
      ...{projectId: env.projectID, category: env.category, kind, since: flags.since, limit: flags.limit, filters},
      ...{follow: flags.follow, json: this.jsonEnabled(), now: this.io.now(), processEnv: this.io.env, timeoutSeconds: flags.timeout},
      ...{print: (line: string) => this.out.result(line), warn: (text: string) => this.out.warn(text), style: this.out.style},
      stop: guardStream(this.io.stdout),
    })
  }
}
