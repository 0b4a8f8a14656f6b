import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {MspCommand} from '../cli/base-command.js'
import {migrateServices, type ServiceMigration} from '../lib/authoring/migrate.js'
import {UserError} from '../lib/io/errors.js'

export default class Migrate extends MspCommand {
  static override summary = 'Rewrite spec keys of older sg msp releases into their final form, keeping comments and blank lines.'
  static override description =
    `Specs written by the original's May-2024 \`sg msp init\` use keys the final release renamed; the final release ignored ` +
    `them silently (msp warns). This rewrites them in place:

  environments[].schedule.deadline: N          ->  environments[].deadlineSeconds: N
  monitoring.alerts.responseCodeRatios[].duration: "300s"  ->  durationMinutes: 5

Only the affected lines change; a comment at the end of a moved line moves with it. Files are written atomically. --dry-run prints the changes without ` +
    `writing; --check also exits 1 when any spec would change (for CI).`
  static override examples = ['<%= config.bin %> migrate gatekeeper', '<%= config.bin %> migrate --all --dry-run', '<%= config.bin %> migrate --all --check']
  static override strict = false
  static override args = {service: Args.string({description: 'service ids (several may follow)'})}
  static override flags = {
    all: Flags.boolean({description: 'every service of the repository'}),
    'dry-run': Flags.boolean({description: 'print what would change; write nothing'}),
    check: Flags.boolean({description: 'like --dry-run, and exit 1 when a spec would change'}),
  }

  async run(): Promise<{services: ServiceMigration[]}> {
    const {argv, flags} = await this.parse(Migrate)
    const write = !flags['dry-run'] && !flags.check
    const services = await migrateServices({root: this.repoRoot(flags.repo), ids: argv as string[], all: flags.all, write, writes: this.writes})
    const changed = services.filter((s) => s.changes.length > 0)
    for (const s of changed) for (const c of s.changes) this.out.result(`${s.file}:${c.line}: ${c.from} -> ${c.to}`)
    const files = `${changed.length} of ${services.length} spec${services.length === 1 ? '' : 's'}`
    if (flags.check && changed.length > 0) throw new UserError(`${files} use keys of older releases`, {hint: 'run msp migrate to rewrite them'})
    this.out.success(
      changed.length === 0
        ? `Nothing to migrate in ${services.length} spec${services.length === 1 ? '' : 's'}`
        : `${write ? 'Migrated' : 'Would migrate'} ${files}`,
    )
    return {services}
  }
}
