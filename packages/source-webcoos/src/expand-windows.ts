import { addIsoDuration, parseIsoDuration } from '@onc-orders/onc-client';
import { OrderSpecError, OrderTooLargeError } from '@onc-orders/jobs';
import { assetsOf, parseInstant, type WebcoosSpec } from './webcoos-spec.js';
import type { WebcoosParams } from './webcoos-state.js';

/** `2024-06-01T00:00:00Z`: the form WebCOOS writes, milliseconds only when there are some. */
export function formatInstant(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, 'Z');
}

/** How many windows the split makes, counted without building them, so a huge order is refused cheaply. */
function countWindows(from: Date, to: Date, split: string): number {
  const step = parseIsoDuration(split);
  const first = addIsoDuration(from, step);
  if (first <= from) throw new OrderSpecError([{ field: 'split', message: 'must be a positive duration' }]);
  if (step.years === 0 && step.months === 0) {
    return Math.ceil((to.getTime() - from.getTime()) / (first.getTime() - from.getTime()));
  }
  // Calendar steps vary in length; they are a month or longer, so walking them is cheap.
  let count = 0;
  for (let start = from; start < to; start = addIsoDuration(start, step)) count += 1;
  return count;
}

function windowsOf(from: Date, to: Date, split: string): Array<{ from: string; to: string }> {
  const step = parseIsoDuration(split);
  const windows: Array<{ from: string; to: string }> = [];
  for (let start = from; start < to;) {
    const next = addIsoDuration(start, step);
    const end = next < to ? next : to;
    windows.push({ from: formatInstant(start), to: formatInstant(end) });
    start = end;
  }
  return windows;
}

/**
 * One product per asset and window (assets outermost, windows in time order); the last window ends at dateTo. The
 * assets and product are checked against WebCOOS when the order starts, not here: that needs the service.
 */
export function expandWindows(spec: WebcoosSpec, maxProducts: number): WebcoosParams[] {
  const from = parseInstant(spec.dateFrom);
  const to = parseInstant(spec.dateTo);
  if (!from) throw new OrderSpecError([{ field: 'dateFrom', message: 'is not a date or an instant' }]);
  if (!to) throw new OrderSpecError([{ field: 'dateTo', message: 'is not a date or an instant' }]);
  const assets = assetsOf(spec);
  const total = assets.length * countWindows(from, to, spec.split);
  if (total > maxProducts) throw new OrderTooLargeError(total, maxProducts);
  const windows = windowsOf(from, to, spec.split);
  return assets.flatMap((asset) => windows.map((window) => ({ asset, product: spec.product, ...window })));
}
