import * as Flags from '@oclif/core/flags'
import {MspCommand} from '../cli/base-command.js'
import {FLEET_COLUMNS, fleetCells, formatCsv, loadFleet, type FleetRow} from '../lib/authoring/fleet.js'
import {formatTable} from '../lib/io/output.js'
import {CATEGORIES} from '../lib/spec/schema.js'

export default class Fleet extends MspCommand {
  static override summary = 'List every environment of every service in one table.'
  static override description = `One row per service environment: service, owner(s), kind, environment, category, GCP project, region, domain and managed resources. Services are sorted by id, environments keep their spec order.

--csv prints RFC 4180 CSV (CRLF line ends, quoted fields where needed); --json prints {"environments": [...]}.`
  static override examples = [
    '<%= config.bin %> fleet',
    '<%= config.bin %> fleet --category external --owner core-services',
    '<%= config.bin %> fleet --csv > fleet.csv',
    "<%= config.bin %> fleet --json | jq -r '.environments[].projectID'",
  ]
  static override enableJsonFlag = true
  static override flags = {
    category: Flags.option({options: CATEGORIES, description: 'only environments of this category'})(),
    owner: Flags.string({description: 'only services owned by this team'}),
    csv: Flags.boolean({description: 'print CSV instead of a table', exclusive: ['json']}),
  }

  async run(): Promise<{environments: FleetRow[]}> {
    const {flags} = await this.parse(Fleet)
    const {rows, warnings} = await loadFleet(this.repoRoot(flags.repo), {category: flags.category, owner: flags.owner})
    this.printWarnings(warnings)
    if (flags.csv) {
      this.out.result(formatCsv(FLEET_COLUMNS, fleetCells(rows)))
    } else if (!this.jsonEnabled()) {
      if (rows.length === 0) this.out.info('no environments match')
      else this.out.result(formatTable(FLEET_COLUMNS.map((c) => c.toUpperCase()), fleetCells(rows), this.out.style))
    }
    return {environments: rows}
  }
}
