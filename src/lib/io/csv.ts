/** CSV output (`msp fleet --csv`). */

/**
 * Formats a header and rows as RFC 4180 CSV: CRLF line breaks, fields with a comma, quote or line break
 * enclosed in double quotes and inner quotes doubled.
 * @param header - column names
 * @param rows - cells per row
 */
export function formatCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value)
  return [header, ...rows].map((r) => r.map(field).join(',') + '\r\n').join('')
}
