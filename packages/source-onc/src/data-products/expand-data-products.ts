import { validateFilters, type OncFilters } from '@onc-orders/onc-client';
import { OrderSpecError, OrderTooLargeError, type SpecIssue } from '@onc-orders/jobs';
import { countWindows, splitRange, timeWindows } from '../time-windows.js';
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

function asList(value: string | string[] | undefined): Array<string | undefined> {
  if (value === undefined) return [undefined];
  return Array.isArray(value) ? value : [value];
}

/**
 * The ONC filters of every product of an order, in a stable order (codes outermost, windows innermost). Each product
 * is validated with ONC's own rules; every problem is reported with the spec field it came from.
 */
export function expandDataProducts(spec: DataProductsSpec, maxProducts: number): OncFilters[] {
  const split = splitRange(spec.split, spec.filters);
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
