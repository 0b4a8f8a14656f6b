import type {Edition} from '../edition/editions.js'
import {formatSpecIssue} from '../io/errors.js'
import {validateServices, type ValidationReport} from '../spec/load.js'
import {isValidId} from './ids.js'
import {unknownIdError} from './resolve.js'
import {requireServiceFolders, scanServiceFolders} from './services.js'

/** A validation report, plus the folders under services/ that are not services (errors in validate). */
export interface RepositoryValidation extends ValidationReport {
  /** One error per unusable folder under services/ (all of them only when every service is checked). */
  folders: ValidationReport['issues']
}

/**
 * Validates every service of the repo, or the named ones (each must exist), for `msp validate`.
 * @param root - the repo root
 * @param only - service ids to check; all when empty
 * @param edition - the edition whose spec keys apply
 */
export async function validateRepository(root: string, only: readonly string[], edition: Edition): Promise<RepositoryValidation> {
  const {ids: all, issues: folders} = only.length > 0 ? await scanServiceFolders(root, 'error') : await requireServiceFolders(root, 'error')
  const unknown = only.find((id) => !isValidId(id) || !all.includes(id))
  if (unknown !== undefined) throw unknownIdError('service', unknown, all)
  const report = await validateServices(root, only.length > 0 ? [...new Set(only)].sort() : all, edition)
  if (only.length > 0) return {...report, folders: []}
  return {...report, folders, issues: [...folders, ...report.issues], errorCount: report.errorCount + folders.length}
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/**
 * The text report of `msp validate`: one status line per service (`✓ id`, `⚠ id: 1 warning`,
 * `✗ id: 2 errors, 1 warning`, or the words ok/warning/error when not on a terminal), each followed
 * by its issues as `  error file:line:col: key.path: message`.
 * @param report - the validation report
 * @param mark - the status marks of the output stream
 */
export function formatValidationReport(
  report: ValidationReport & {folders?: ValidationReport['issues']},
  mark: (m: 'ok' | 'warning' | 'error') => string,
): string[] {
  // Folders under services/ that are not services come first, one line each.
  const lines: string[] = (report.folders ?? []).map((issue) => `${mark('error')} ${formatSpecIssue(issue)}`)
  for (const service of report.services) {
    const errors = service.issues.filter((i) => i.severity === 'error').length
    const warnings = service.issues.length - errors
    const counts = [errors > 0 ? plural(errors, 'error') : '', warnings > 0 ? plural(warnings, 'warning') : ''].filter(Boolean).join(', ')
    lines.push(`${mark(errors > 0 ? 'error' : warnings > 0 ? 'warning' : 'ok')} ${service.id}${counts ? `: ${counts}` : ''}`)
    for (const issue of service.issues) lines.push(`  ${issue.severity} ${formatSpecIssue(issue)}`)
  }
  return lines
}

/** The closing line: `Checked 13 services: 2 errors, 1 warning`. */
export function summarizeValidation(report: ValidationReport): string {
  return `Checked ${plural(report.services.length, 'service')}: ${plural(report.errorCount, 'error')}, ${plural(report.warningCount, 'warning')}`
}
