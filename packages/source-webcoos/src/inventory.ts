import { listAt, textAt, type Json } from './read-json.js';
import type { WindowInventory } from './webcoos-state.js';

const dayMs = 24 * 60 * 60 * 1000;

/** One day of a service's daily inventory. */
export interface InventoryDay {
  startMs: number;
  count: number;
  bytes: number | null;
  hasData: boolean;
}

/** "2024-06-01 00:00:00+00:00" (Python's str of a UTC datetime) or ISO 8601; a naive time is UTC. */
function parseInventoryTime(value: Json): number | undefined {
  if (typeof value !== 'string') return undefined;
  let text = value.trim().replace(' ', 'T');
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) text += 'T00:00:00Z';
  else if (!/(Z|[+-]\d{2}:?\d{2})$/.test(text)) text += 'Z';
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function cellNumber(value: Json): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/**
 * The daily bins of `GET /services/{slug}/inventory/`, each column found by its name in `meta.fields` (their order
 * differs between servers). Undefined when the answer has no daily inventory this can read.
 */
export function readDailyInventory(body: Json): InventoryDay[] | undefined {
  const inventories = Array.isArray(body) ? (body as Json[]) : listAt(body, 'results');
  const daily = inventories.find((inventory) => textAt(inventory, 'name') === 'daily');
  if (!daily) return undefined;
  const names = listAt(daily, 'meta', 'fields').map((field) => textAt(field, 'name'));
  const column = (name: string) => names.indexOf(name);
  const starting = column('starting');
  const count = column('count');
  if (starting < 0 || count < 0) return undefined;
  const size = column('size');
  const hasData = column('has_data');
  const days: InventoryDay[] = [];
  for (const row of listAt(daily, 'values')) {
    if (!Array.isArray(row)) return undefined;
    const cells = row as Json[];
    const startMs = parseInventoryTime(cells[starting]);
    const rowCount = cellNumber(cells[count]);
    if (startMs === undefined || rowCount === undefined) return undefined;
    const flag = hasData >= 0 ? cells[hasData] : undefined;
    days.push({
      startMs,
      count: rowCount,
      bytes: size >= 0 ? (cellNumber(cells[size]) ?? null) : null,
      hasData: flag === undefined || flag === null ? rowCount > 0 : flag === true || flag === 1 || flag === '1',
    });
  }
  return days;
}

/**
 * What the daily inventory says of the window [fromMs, toMs). Days the inventory does not list have no elements (its
 * bins run from the first day with data to the last). The counts are exact only when the window is made of whole
 * days; otherwise only whether a day it touches has data is known.
 */
export function windowInventory(days: readonly InventoryDay[], fromMs: number, toMs: number): WindowInventory {
  const touched = days.filter((day) => day.startMs < toMs && day.startMs + dayMs > fromMs);
  const whole = touched.every((day) => day.startMs >= fromMs && day.startMs + dayMs <= toMs);
  const hasData = touched.some((day) => day.hasData && day.count > 0);
  if (!whole) return { count: null, bytes: null, hasData };
  const bytes = touched.every((day) => day.bytes !== null)
    ? touched.reduce((sum, day) => sum + (day.bytes ?? 0), 0)
    : null;
  return { count: touched.reduce((sum, day) => sum + day.count, 0), bytes, hasData };
}
