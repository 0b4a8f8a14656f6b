/**
 * Text from a server or a child process made safe to print on a terminal: control characters (escape
 * sequences, carriage returns, bells) are removed, tabs kept, line breaks shown as `\n` so one record
 * stays one line.
 * @param text - untrusted text
 */
export function printableLine(text: string): string {
  return text.replace(/\r?\n/g, '\\n').replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '')
}
