/** Printing figures: aligned "name  value" lines, fixed decimals, and PASS/FAIL verdicts (printed, never asserted). */

/** Megabytes are decimal throughout the benchmarks: 1 MB = 10^6 bytes. */
export const MB = 1e6;
export const MiB = 1024 * 1024;

export const fixed = (value: number, digits = 1): string =>
  Number.isFinite(value) ? value.toFixed(digits) : String(value);

export function printRows(title: string, rows: ReadonlyArray<readonly [string, string]>): void {
  const width = Math.max(...rows.map(([name]) => name.length));
  process.stdout.write(`\n${title}\n`);
  for (const [name, value] of rows) process.stdout.write(`  ${name.padEnd(width)}  ${value}\n`);
}

export const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');

/** The value at quantile q (0..1) of sorted numbers, linearly interpolated. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  const a = sorted[low] ?? NaN;
  const b = sorted[high] ?? NaN;
  return a + (b - a) * (at - low);
}

export const log = (line: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 23)}] ${line}\n`);
};
