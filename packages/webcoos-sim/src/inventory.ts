/**
 * `GET /services/{slug or uuid}/inventory/`: per-bin counts and bytes of a service's elements, in the site's
 * shape — `{results: [{type: "inventory", name, meta: {fields}, values}]}` with one inventory per bin width.
 * Counts and sizes are computed from the very elements the listing serves, inserted ones included, so a client can
 * check a window's listing against them. A client must find each column by name in `meta.fields`: the default
 * column order is deliberately not the one pywebcoos hard-codes.
 */
import { DAY_MS, dayKey, parseDay, pythonUtc } from './archive-time.js';
import type { CatalogueService } from './catalogue.js';
import type { ElementArchive, SimElement } from './element-archive.js';

export const INVENTORY_COLUMNS = {
  starting: { type: 'datetime', label: 'Start' },
  has_data: { type: 'bool', label: 'Has Data?' },
  ending: { type: 'datetime', label: 'End' },
  count: { type: 'int', label: 'Count' },
  size: { type: 'int', label: 'Bytes' },
  data_starting: { type: 'datetime', label: 'Data Start' },
  data_ending: { type: 'datetime', label: 'Data End' },
} as const;

export type InventoryColumn = keyof typeof INVENTORY_COLUMNS;

export const isInventoryColumn = (name: string): name is InventoryColumn => Object.hasOwn(INVENTORY_COLUMNS, name);

/** Not pywebcoos's fixed order (starting, has_data, ending, count, size, data_starting, data_ending). */
export const DEFAULT_INVENTORY_COLUMNS: readonly InventoryColumn[] = [
  'count',
  'data_ending',
  'starting',
  'size',
  'has_data',
  'data_starting',
  'ending',
];

export type InventoryValue = string | number | null;

export interface Inventory {
  type: 'inventory';
  name: 'daily' | 'weekly' | 'monthly';
  meta: { fields: { name: InventoryColumn; type: string; label: string }[] };
  values: InventoryValue[][];
}

interface Bin {
  startMs: number;
  /** Exclusive end of what the bin counts. */
  endMs: number;
  /** What the `ending` column says (for months the fixture shows the month's last day, not the next month). */
  shownEndMs: number;
}

const weekStart = (ms: number): number => ms - new Date(ms).getUTCDay() * DAY_MS; // weeks start on Sunday
const monthStart = (ms: number): number => Date.UTC(new Date(ms).getUTCFullYear(), new Date(ms).getUTCMonth(), 1);
const nextMonth = (ms: number): number => Date.UTC(new Date(ms).getUTCFullYear(), new Date(ms).getUTCMonth() + 1, 1);

function binsBetween(firstDayMs: number, lastDayMs: number, width: Inventory['name']): Bin[] {
  const bins: Bin[] = [];
  switch (width) {
    case 'daily':
      for (let ms = firstDayMs; ms <= lastDayMs; ms += DAY_MS)
        bins.push({ startMs: ms, endMs: ms + DAY_MS, shownEndMs: ms + DAY_MS });
      return bins;
    case 'weekly':
      for (let ms = weekStart(firstDayMs); ms <= lastDayMs; ms += 7 * DAY_MS)
        bins.push({ startMs: ms, endMs: ms + 7 * DAY_MS, shownEndMs: ms + 7 * DAY_MS });
      return bins;
    case 'monthly':
      for (let ms = monthStart(firstDayMs); ms <= lastDayMs; ms = nextMonth(ms))
        bins.push({ startMs: ms, endMs: nextMonth(ms), shownEndMs: nextMonth(ms) - DAY_MS });
      return bins;
    default: {
      const never: never = width;
      throw new Error(`unknown bin width ${String(never)}`);
    }
  }
}

function row(bin: Bin, elements: readonly SimElement[], columns: readonly InventoryColumn[]): InventoryValue[] {
  const inside = elements.filter((e) => e.startingMs >= bin.startMs && e.startingMs < bin.endMs);
  const first = inside[0];
  const lastEnd = inside.reduce<number | null>((max, e) => Math.max(max ?? 0, e.endingMs ?? e.startingMs), null);
  const cell = (column: InventoryColumn): InventoryValue => {
    switch (column) {
      case 'starting':
        return pythonUtc(bin.startMs);
      case 'has_data':
        return inside.length > 0 ? 1 : 0;
      case 'ending':
        return pythonUtc(bin.shownEndMs);
      case 'count':
        return inside.length;
      case 'size':
        return inside.reduce((sum, e) => sum + e.sizeBytes, 0);
      case 'data_starting':
        return first ? pythonUtc(first.startingMs) : null;
      case 'data_ending':
        return lastEnd === null ? null : pythonUtc(lastEnd);
      default: {
        const never: never = column;
        throw new Error(`unknown column ${String(never)}`);
      }
    }
  };
  return columns.map(cell);
}

/**
 * The daily, weekly and monthly inventories of a service. Bins run from the first day with data to the last
 * (as in the site's fixture), empty days in between included with `has_data` 0.
 */
export function buildInventories(
  archive: ElementArchive,
  service: CatalogueService,
  columns: readonly InventoryColumn[],
): Inventory[] {
  const elements = archive.list(service, null, null);
  const fields = columns.map((name) => ({ name, ...INVENTORY_COLUMNS[name] }));
  const first = elements[0];
  const last = elements.at(-1);
  return (['daily', 'weekly', 'monthly'] as const).map((name) => ({
    type: 'inventory',
    name,
    meta: { fields: fields.map((f) => ({ ...f })) },
    values:
      first && last
        ? binsBetween(parseDay(dayKey(first.startingMs)), parseDay(dayKey(last.startingMs)), name).map((bin) =>
            row(bin, elements, columns),
          )
        : [],
  }));
}
