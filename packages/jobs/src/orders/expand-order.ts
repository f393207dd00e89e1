import {
  addIsoDuration,
  formatOncDate,
  OncValidationError,
  parseIsoDuration,
  resolveTimeRange,
  validateFilters,
  type OncFilters,
} from '@onc-orders/onc-client';
import type { OrderSpec } from './order-spec.js';
import { OrderSpecError, OrderTooLargeError, type SpecIssue } from './order-spec-error.js';

const listableCodes = ['locationCode', 'deviceCategoryCode', 'deviceCode', 'propertyCode'] as const;

/** How many products `spec` expands to, counted without building them, so a huge order is refused cheaply. */
function countProducts(spec: OrderSpec, windowCount: number): number {
  let count = windowCount;
  for (const code of listableCodes) {
    const value = spec.filters[code];
    if (Array.isArray(value)) count *= value.length;
  }
  return count;
}

function timeWindows(spec: OrderSpec, limit: number): Array<{ dateFrom: string; dateTo: string }> | undefined {
  if (!spec.split) return undefined;
  const { dateFrom, dateTo } = spec.filters;
  if (!dateFrom || !dateTo) {
    throw new OrderSpecError([{ field: 'split', message: 'needs both filters.dateFrom and filters.dateTo' }]);
  }
  let range: { from: Date; to: Date };
  try {
    range = resolveTimeRange(dateFrom, dateTo);
  } catch (error) {
    if (error instanceof OncValidationError) {
      throw new OrderSpecError([{ field: `filters.${error.field ?? 'dateFrom'}`, message: error.message }]);
    }
    throw error;
  }
  const step = parseIsoDuration(spec.split);
  const windows: Array<{ dateFrom: string; dateTo: string }> = [];
  for (let start = range.from; start < range.to;) {
    const next = addIsoDuration(start, step);
    if (next <= start) throw new OrderSpecError([{ field: 'split', message: 'must be a positive duration' }]);
    const end = next < range.to ? next : range.to;
    windows.push({ dateFrom: formatOncDate(start), dateTo: formatOncDate(end) });
    // Stop counting once past the cap: a one-second split over ten years must not allocate millions of windows.
    if (windows.length > limit) break;
    start = end;
  }
  return windows;
}

function asList(value: string | string[] | undefined): Array<string | undefined> {
  if (value === undefined) return [undefined];
  return Array.isArray(value) ? value : [value];
}

/**
 * The ONC filters of every product of an order, in a stable order (codes outermost, windows innermost). Each product
 * is validated with ONC's own rules; every problem is reported with the spec field it came from.
 */
export function expandOrder(spec: OrderSpec, maxProducts: number): OncFilters[] {
  const windows = timeWindows(spec, maxProducts);
  const total = countProducts(spec, windows?.length ?? 1);
  if (total > maxProducts) throw new OrderTooLargeError(total, maxProducts);

  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(spec.filters)) {
    if (value === undefined || (listableCodes as readonly string[]).includes(key)) continue;
    base[key] = String(value);
  }
  const products: OncFilters[] = [];
  const issues = new Map<string, SpecIssue>();
  for (const locationCode of asList(spec.filters.locationCode)) {
    for (const deviceCategoryCode of asList(spec.filters.deviceCategoryCode)) {
      for (const deviceCode of asList(spec.filters.deviceCode)) {
        for (const propertyCode of asList(spec.filters.propertyCode)) {
          for (const window of windows ?? [undefined]) {
            const filters: Record<string, string> = { ...base, ...window };
            if (locationCode !== undefined) filters['locationCode'] = locationCode;
            if (deviceCategoryCode !== undefined) filters['deviceCategoryCode'] = deviceCategoryCode;
            if (deviceCode !== undefined) filters['deviceCode'] = deviceCode;
            if (propertyCode !== undefined) filters['propertyCode'] = propertyCode;
            const checked = validateFilters(filters);
            if (checked.ok) products.push(checked.filters);
            else
              for (const issue of checked.issues)
                issues.set(issue.field, { field: `filters.${issue.field}`, message: issue.message });
          }
        }
      }
    }
  }
  if (issues.size > 0) throw new OrderSpecError([...issues.values()]);
  return products;
}
