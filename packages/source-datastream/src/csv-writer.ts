/**
 * CSV as RFC 4180 has it: fields separated by commas, lines ended by CRLF, a field quoted when it holds a comma, a
 * double quote, CR or LF, and a double quote inside a quoted field doubled. A null (or a field the row lacks) is an
 * empty cell; a nested value (Metadata's TemporalExtent) is written as its JSON.
 */

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

export function csvCell(value: unknown): string {
  const text = cellText(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** The lines of `rows` under `columns` (fields a row has beyond them are not written), with the header when asked. */
export function csvLines(columns: readonly string[], rows: readonly unknown[], withHeader: boolean): string {
  let out = withHeader ? csvLine(columns) : '';
  for (const row of rows) {
    const record = (typeof row === 'object' && row !== null ? row : {}) as Record<string, unknown>;
    out += csvLine(columns.map((column) => record[column]));
  }
  return out;
}
