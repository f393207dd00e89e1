import { selectableFields } from './datastream-resources.js';
import type { DataStreamSpec } from './datastream-spec.js';
import { csvLines } from './csv-writer.js';
import { rawValueRows } from './raw-page-rows.js';

/** The columns of a partition's CSV file: the order's `select`, or the resource's documented fields in their order. */
export function csvColumns(spec: DataStreamSpec): readonly string[] {
  return spec.select ?? selectableFields[spec.resource];
}

/**
 * One page as the bytes appended to its partition's file. JSON lines: each object of `value` exactly as received,
 * one per line. CSV: one line per row, the header before the first page's rows only.
 */
export function serialisePage(
  spec: DataStreamSpec,
  page: { value: unknown[]; raw: string },
  firstPage: boolean,
): Buffer {
  if (spec.format === 'jsonl') {
    const lines = rawValueRows(page.raw);
    if (lines.length !== page.value.length)
      throw new Error(`the page holds ${page.value.length} rows but ${lines.length} were found in its text`);
    return Buffer.from(lines.map((line) => `${line}\n`).join(''), 'utf8');
  }
  return Buffer.from(csvLines(csvColumns(spec), page.value, firstPage), 'utf8');
}

/** The DOIs the rows name, added to those seen; the partition's own dataset when the rows carry no DOI. */
export function doisAfterPage(
  seen: readonly string[],
  rows: readonly unknown[],
  partitionDoi: string | null,
): string[] {
  const dois = new Set(seen);
  for (const row of rows) {
    const doi = (row as { DOI?: unknown } | null)?.DOI;
    if (typeof doi === 'string') dois.add(doi);
    else if (partitionDoi !== null) dois.add(partitionDoi);
  }
  return [...dois];
}
