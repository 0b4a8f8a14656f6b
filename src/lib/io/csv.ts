/** CSV output (`msp fleet --csv`). */

/**
 * Characters that make a spreadsheet (Excel, LibreOffice, Google Sheets) read a cell as a formula:
 * `=`, `+`, `-`, `@`, and a leading tab or carriage return (OWASP, "CSV Injection").
 */
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * A cell as written to CSV: one that would start a formula gets a leading `'`, which spreadsheet
 * tools show as text and do not display.
 * @param value - the cell
 */
export function csvCellText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value
}

/**
 * Formats a header and rows as RFC 4180 CSV: CRLF line breaks, fields with a comma, quote or line break
 * enclosed in double quotes and inner quotes doubled; a cell that would start a formula is prefixed
 * with `'` (see {@link csvCellText}).
 * @param header - column names
 * @param rows - cells per row
 */
export function formatCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const field = (raw: string) => {
    const value = csvCellText(raw)
    return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
  }
  return [header, ...rows].map((r) => r.map(field).join(',') + '\r\n').join('')
}
