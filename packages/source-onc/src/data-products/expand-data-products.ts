import {
  addIsoDuration,
  formatOncDate,
  OncValidationError,
  parseIsoDuration,
  resolveTimeRange,
  type IsoDuration,
  validateFilters,
  type OncFilters,
} from '@onc-orders/onc-client';
import { OrderSpecError, OrderTooLargeError, type SpecIssue } from '@onc-orders/jobs';
import type { DataProductsSpec } from './data-products-spec.js';

const listableCodes = ['locationCode', 'deviceCategoryCode', 'deviceCode', 'propertyCode'] as const;

/** How many products `spec` expands to, counted without building them, so a huge order is refused cheaply. */
function countProducts(spec: DataProductsSpec, windowCount: number): number {
  let count = windowCount;
  for (const code of listableCodes) {
    const value = spec.filters[code];
    if (Array.isArray(value)) count *= value.length;
  }
  return count;
}

interface SplitRange {
  from: Date;
  to: Date;
  step: IsoDuration;
}

/** The order's date range and window length, when it is split; refused with the spec field at fault. */
function splitRange(spec: DataProductsSpec): SplitRange | undefined {
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
  if (addIsoDuration(range.from, step) <= range.from) {
    throw new OrderSpecError([{ field: 'split', message: 'must be a positive duration' }]);
  }
  return { ...range, step };
}

/**
 * How many windows the split makes, counted without building them: a one-second split over ten years is refused
 * with its real size (about 315 million) without allocating anything.
 */
function countWindows({ from, to, step }: SplitRange): number {
  if (step.years === 0 && step.months === 0) {
    const stepMs = addIsoDuration(from, step).getTime() - from.getTime();
    return Math.ceil((to.getTime() - from.getTime()) / stepMs);
  }
  // Calendar steps vary in length; they are months or longer, so walking them is cheap.
  let count = 0;
  for (let start = from; start < to; start = addIsoDuration(start, step)) count += 1;
  return count;
}

function timeWindows({ from, to, step }: SplitRange): Array<{ dateFrom: string; dateTo: string }> {
  const windows: Array<{ dateFrom: string; dateTo: string }> = [];
  for (let start = from; start < to;) {
    const next = addIsoDuration(start, step);
    const end = next < to ? next : to;
    windows.push({ dateFrom: formatOncDate(start), dateTo: formatOncDate(end) });
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
export function expandDataProducts(spec: DataProductsSpec, maxProducts: number): OncFilters[] {
  const split = splitRange(spec);
  const total = countProducts(spec, split ? countWindows(split) : 1);
  if (total > maxProducts) throw new OrderTooLargeError(total, maxProducts);
  const windows = split ? timeWindows(split) : undefined;

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
