/** The distinct values of one field across discovery's rows, e.g. every extension offered. */
export function distinctValues(rows: ReadonlyArray<Record<string, unknown>>, field: string, limit = 30): string[] {
  const values = new Set<string>();
  for (const row of rows) if (typeof row[field] === 'string') values.add(row[field]);
  const sorted = [...values].sort();
  return sorted.length > limit ? [...sorted.slice(0, limit), `… ${sorted.length - limit} more`] : sorted;
}
