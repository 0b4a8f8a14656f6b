import * as Flags from '@oclif/core/flags'
import {MspCommand} from '../cli/base-command.js'
import {
  buildFleetRows,
  FLEET_COLUMNS,
  fleetCells,
  loadFleet,
  renderFleetSummary,
  summarizeFleet,
  type FleetRow,
  type FleetSummary,
} from '../lib/fleet/report.js'
import {formatTable} from '../lib/io/output.js'
import {formatCsv} from '../lib/io/csv.js'
import {CATEGORIES} from '../lib/spec/schema.js'

export default class Fleet extends MspCommand {
  static override summary = 'List every environment of every service in one table.'
  static override description =
    `One row per service environment: service, owner(s), kind, environment, category, GCP project, region, domain and managed ` +
    `resources. Services are sorted by id, environments keep their spec order.

--csv prints RFC 4180 CSV (CRLF line ends, quoted fields where needed); --summary prints the counts of the original 'sg msp fleet'; --json prints ` +
    `{"environments": [...], "summary": {...}}.`
  static override examples = [
    '<%= config.bin %> fleet',
    '<%= config.bin %> fleet --category external --owner core-services',
    '<%= config.bin %> fleet --csv > fleet.csv',
    "<%= config.bin %> fleet --json | jq -r '.environments[].projectID'",
  ]
  static override flags = {
    category: Flags.option({options: CATEGORIES, description: 'only environments of this category'})(),
    owner: Flags.string({description: 'only services owned by this team'}),
    csv: Flags.boolean({description: 'print CSV instead of a table', exclusive: ['json', 'summary']}),
    summary: Flags.boolean({description: 'print counts (services, teams, environments, deploy types, resources) instead of the table'}),
  }

  async run(): Promise<{environments: FleetRow[]; summary: FleetSummary}> {
    const {flags} = await this.parse(Fleet)
    const {specs, warnings} = await loadFleet(this.repoRoot(flags.repo), this.serviceLoader())
    this.printWarnings(warnings)
    const filter = {category: flags.category, owner: flags.owner}
    const rows = buildFleetRows(specs, filter)
    const summary = summarizeFleet(specs, filter)
    if (this.jsonEnabled()) return {environments: rows, summary}
    if (flags.summary) this.out.result(renderFleetSummary(summary))
    else if (flags.csv) this.out.result(formatCsv(FLEET_COLUMNS, fleetCells(rows)))
    else if (rows.length === 0) this.out.info('no environments match')
    else
      this.out.result(
        formatTable(
          FLEET_COLUMNS.map((c) => c.toUpperCase()),
          fleetCells(rows),
          this.out.style,
          this.out.tableWidth,
        ),
      )
    return {environments: rows, summary}
  }
}
