import * as Flags from '@oclif/core/flags'
import {resolve} from 'node:path'
import {editionFlag, MspCommand} from '../../cli/base-command.js'
import {UsageError, UserError} from '../../lib/io/errors.js'
import {generateHandbook, handbookReport, type HandbookFileChange, type HandbookReport} from '../../lib/handbook/generate.js'
import {ExitCode, setExitCode} from '../../cli/exit.js'
import {resolveLastUpdated} from '../../lib/handbook/header.js'
import {svgProgress} from '../../lib/handbook/progress.js'
import {createSvgRenderer} from '../../lib/handbook/svg.js'
import {createProgress} from '../../lib/io/progress.js'
import {gitRevision} from '../../lib/repo/git.js'

export default class Handbook extends MspCommand {
  static override summary = 'Generate the operations handbook: one page per service, architecture diagrams and an index.'
  static override description =
    `Writes into <handbook-path>/content/departments/engineering/managed-services/ of a sourcegraph/handbook checkout: ` +
    `<service>.md for every service, <service>-<env>.svg for every environment and index.md. The folder ends up holding exactly these files (others are ` +
    `removed); pages that differ only in the three header lines (command, time, revision) are not rewritten, and a diagram is re-rendered only when its D2 ` +
    `source changed.

The header of each page names the command (--generate-command), the time (UTC, or SOURCE_DATE_EPOCH for reproducible output) and the repository's git revision.

--out DIR writes the same pages and diagrams into any folder instead (created if needed), for a preview without a handbook checkout.

--check writes nothing and exits 1 listing the files that would change (for CI in the handbook repository).`
  static override examples = [
    '<%= config.bin %> handbook',
    '<%= config.bin %> handbook --handbook-path ~/src/handbook',
    '<%= config.bin %> handbook --check',
    '<%= config.bin %> handbook --out /tmp/handbook-preview',
    'SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) <%= config.bin %> handbook --generate-command "sg msp operations generate-handbook-pages"',
  ]
  static override flags = {
    'handbook-path': Flags.string({description: 'sourcegraph/handbook checkout [default: ../handbook beside the repository]', exclusive: ['out']}),
    out: Flags.string({description: 'write the pages and diagrams into this folder instead (a preview; no handbook checkout needed)'}),
    check: Flags.boolean({description: 'write nothing; exit 1 and list the files that would change'}),
    edition: editionFlag(),
    diagrams: Flags.boolean({allowNo: true, default: true, description: 'render the SVG diagrams (--no-diagrams leaves existing ones untouched)'}),
    'generate-command': Flags.string({description: 'command shown in the pages\' "Regenerate using this command" line [default: the command line as invoked]'}),
  }

  async run(): Promise<HandbookReport> {
    const {flags} = await this.parse(this.constructor as typeof Handbook)
    if (flags['handbook-path'] === '' || flags.out === '') throw new UsageError(`--${flags.out === '' ? 'out' : 'handbook-path'} cannot be empty`)
    const root = this.repoRoot(flags.repo)
    const handbookPath = flags['handbook-path'] === undefined ? resolve(root, '..', 'handbook') : resolve(this.io.cwd, flags['handbook-path'])
    const header = {
      generateCommand: flags['generate-command'] ?? ['msp', ...this.id!.split(':'), ...this.argv].join(' '),
      lastUpdated: resolveLastUpdated(this.io.env, () => this.io.now()),
      revision: await gitRevision(root),
    }
    const verb = flags.check
      ? {created: 'would create', changed: 'would change', removed: 'would remove', unchanged: 'Up to date'}
      : {created: 'Wrote', changed: 'Wrote', removed: 'Removed', unchanged: 'Up to date'}
    const progress = createProgress(this.io.stderr, this.io.env)
    const onFile = (c: HandbookFileChange) => {
      // One line per page (so per service), plus one per diagram or stale file that changes.
      if (c.change !== 'unchanged' || c.file.endsWith('.md')) progress.line(`[${c.service || 'stale'}]\t${verb[c.change]} "${c.file}"`)
    }
    const {onEvent, onRender} = svgProgress(progress)
    const svg = () => createSvgRenderer({onEvent})
    const load = this.serviceLoader()
    const edition = this.editions(root, flags.edition)().edition
    const {dir, changes, warnings} = await generateHandbook({
      root,
      handbookPath,
      ...(flags.out === undefined ? {} : {out: resolve(flags.out)}),
      header,
      edition,
      load,
      writes: this.writes,
      check: flags.check,
      diagrams: flags.diagrams,
      createSvgRenderer: svg,
      onFile,
      onRender,
    }).finally(() => progress.end())
    this.printWarnings(warnings)
    const changed = changes.filter((c) => c.change !== 'unchanged')
    const report = handbookReport(dir, changes, flags.check === true)
    if (flags.check) {
      if (report.ok) this.out.success(`All ${changes.length} handbook files in ${dir} are up to date`)
      if (report.ok) return report
      // --json: the report, with every file that would change, is the result (exit 1, as generate --check).
      setExitCode(ExitCode.error)
      if (this.jsonEnabled()) return report
      for (const c of changed) this.out.result(`${c.change}\t${c.file}`)
      throw new UserError(`${changed.length} handbook file(s) in ${dir} are out of date`, {hint: 'run msp handbook to regenerate them'})
    }
    this.out.success(`${changed.length} of ${changes.length} files updated in ${dir}`)
    if (changed.length > 0 && flags.out === undefined)
      this.out.info('hint: make sure to commit the generated changes and open a pull request in github.com/sourcegraph/handbook.')
    return report
  }
}
