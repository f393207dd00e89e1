import type { ValidationIssue } from './errors/onc-validation-error.js';
import type { OncFilters } from './outcome.js';
import { checkTimeRange } from './time-range.js';

const SEARCH_FILTERS = ['locationCode', 'deviceCategoryCode', 'deviceCode', 'propertyCode'] as const;
const KNOWN_FILTERS = new Set<string>(['dataProductCode', 'extension', 'dateFrom', 'dateTo', ...SEARCH_FILTERS]);
const DATA_PRODUCT_OPTION = /^dpo_\w+$/;

/** The five filter combinations from which ONC can tell what to search for. */
const SEARCH_TYPES: ReadonlyArray<readonly string[]> = [
  ['locationCode', 'deviceCategoryCode'],
  ['locationCode', 'deviceCategoryCode', 'propertyCode'],
  ['locationCode', 'propertyCode'],
  ['deviceCode'],
  ['deviceCode', 'propertyCode'],
];

/** Filters this client supplies itself; a caller passing them is a bug worth naming. */
const RESERVED = new Set(['token', 'method']);

export type FilterValidation = { ok: true; filters: OncFilters } | { ok: false; issues: ValidationIssue[] };

function checkSearchType(present: Set<string>): ValidationIssue | undefined {
  const given = SEARCH_FILTERS.filter((name) => present.has(name));
  const matches = SEARCH_TYPES.some((type) => type.length === given.length && type.every((name) => present.has(name)));
  if (matches) return undefined;
  const choices = SEARCH_TYPES.map((type) => type.join(', ')).join('; ');
  const givenText = given.length === 0 ? 'none of them' : given.join(', ');
  return {
    field: SEARCH_FILTERS.join('/'),
    message: `search type can not be determined from ${givenText}; give one of: ${choices}`,
  };
}

function normaliseValue(name: string, value: unknown, issues: ValidationIssue[]): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') {
    issues.push({ field: name, message: `must be a string, got ${value === null ? 'null' : typeof value}` });
    return undefined;
  }
  if (value.trim() === '') {
    issues.push({ field: name, message: 'must not be empty' });
    return undefined;
  }
  // ONC matches codes exactly (extensions even by case), so stray whitespace can only cause a rejection.
  if (value.trim() !== value) {
    issues.push({ field: name, message: 'must not start or end with whitespace' });
    return undefined;
  }
  return value;
}

/**
 * Checks request filters the way ONC will, so mistakes surface before anything is sent: required filters, one of the
 * five search types, no unknown names (known filters and dpo_* only), and dates. Reports every issue found, each
 * naming its field ("/"-joined when it concerns several). Undefined values count as absent; numbers and booleans
 * become strings. `now` decides whether dateFrom lies in the future.
 */
export function validateFilters(filters: Record<string, unknown>, options: { now?: Date } = {}): FilterValidation {
  const issues: ValidationIssue[] = [];
  const accepted: OncFilters = {};
  for (const [name, raw] of Object.entries(filters)) {
    if (raw === undefined) continue;
    if (RESERVED.has(name)) {
      issues.push({ field: name, message: `is supplied by the client, not as a filter` });
      continue;
    }
    if (!KNOWN_FILTERS.has(name) && !DATA_PRODUCT_OPTION.test(name)) {
      issues.push({
        field: name,
        message: 'is not a known filter name (known: ' + [...KNOWN_FILTERS].join(', ') + ', dpo_*)',
      });
      continue;
    }
    const value = normaliseValue(name, raw, issues);
    if (value !== undefined) accepted[name] = value;
  }

  const present = new Set(Object.keys(filters).filter((name) => filters[name] !== undefined));
  for (const required of ['dataProductCode', 'extension']) {
    if (!present.has(required)) issues.push({ field: required, message: 'is required' });
  }
  const searchTypeIssue = checkSearchType(present);
  if (searchTypeIssue !== undefined) issues.push(searchTypeIssue);

  if (present.has('dateFrom') !== present.has('dateTo')) {
    const missing = present.has('dateFrom') ? 'dateTo' : 'dateFrom';
    const given = missing === 'dateTo' ? 'dateFrom' : 'dateTo';
    issues.push({ field: missing, message: `is required when ${given} is given` });
  } else if (accepted.dateFrom !== undefined && accepted.dateTo !== undefined) {
    const range = checkTimeRange(accepted.dateFrom, accepted.dateTo);
    if (!range.ok) issues.push(...range.issues);
    else if (range.from.getTime() > (options.now ?? new Date()).getTime()) {
      issues.push({ field: 'dateFrom', message: `${range.from.toISOString()} is in the future` });
    }
  }

  return issues.length === 0 ? { ok: true, filters: accepted } : { ok: false, issues };
}
