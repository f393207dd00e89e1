/**
 * The discovery services' filters, as the official Python client's docstrings list them, and their validation:
 * unknown names are 129, codes that do not exist 127 (exact and case-sensitive), dates 127/23/25, every problem at
 * once in one 400 body. Name and description filters are case-insensitive substrings ("Burrard" finds "Burrard
 * Inlet"); `extension` is a plain filter, so `extension=CSV` finds nothing rather than being an error.
 */
import type { Catalogue } from '../catalogue.js';
import type { DiscoveryMethod } from '../methods/method-names.js';
import { resolveOpenDateRange } from '../onc-dates.js';
import { oncError, type OncErrorEntry } from '../onc-errors.js';

const FILTERS: Record<DiscoveryMethod, readonly string[]> = {
  locations: [
    'locationCode',
    'deviceCategoryCode',
    'propertyCode',
    'dataProductCode',
    'dateFrom',
    'dateTo',
    'locationName',
    'deviceCode',
    'includeChildren',
  ],
  'locations/tree': [
    'locationCode',
    'deviceCategoryCode',
    'propertyCode',
    'dataProductCode',
    'dateFrom',
    'dateTo',
    'locationName',
    'deviceCode',
  ],
  deployments: ['locationCode', 'deviceCategoryCode', 'deviceCode', 'propertyCode', 'dateFrom', 'dateTo'],
  devices: ['locationCode', 'deviceCategoryCode', 'deviceCode', 'propertyCode', 'dateFrom', 'dateTo'],
  deviceCategories: ['deviceCategoryCode', 'deviceCategoryName', 'description', 'locationCode', 'propertyCode'],
  properties: ['propertyCode', 'propertyName', 'description', 'locationCode', 'deviceCategoryCode', 'deviceCode'],
  dataProducts: [
    'dataProductCode',
    'extension',
    'dataProductName',
    'propertyCode',
    'locationCode',
    'deviceCategoryCode',
    'deviceCode',
  ],
};

/** The filters a discovery service accepts (besides `token`, and `method=get` of the older URL style). */
export const discoveryFilters = (method: DiscoveryMethod): readonly string[] => FILTERS[method];

export interface DiscoveryQuery {
  /** A filter's value, or null when absent or empty. */
  get(name: string): string | null;
  /** The date filter as an interval (open ends infinite). */
  fromMs: number;
  toMs: number;
  /** Whether either date filter was given. */
  dated: boolean;
  includeChildren: boolean;
}

export type ParsedDiscovery = { ok: true; query: DiscoveryQuery } | { ok: false; errors: OncErrorEntry[] };

/** Code filters and the catalogue list that holds their valid values. */
const CODES: readonly [string, (c: Catalogue) => readonly string[]][] = [
  ['locationCode', (c) => c.locations.map((l) => l.locationCode)],
  ['deviceCategoryCode', (c) => c.deviceCategories.map((d) => d.deviceCategoryCode)],
  ['deviceCode', (c) => c.devices.map((d) => d.deviceCode)],
  ['propertyCode', (c) => c.properties.map((p) => p.propertyCode)],
  ['dataProductCode', (c) => c.dataProducts.map((p) => p.dataProductCode)],
];

export function parseDiscovery(
  method: DiscoveryMethod,
  params: Readonly<Record<string, string>>,
  catalogue: Catalogue,
  nowMs: number,
): ParsedDiscovery {
  const accepted = new Set(['token', 'method', ...FILTERS[method]]);
  const errors: OncErrorEntry[] = Object.keys(params)
    .filter((name) => !accepted.has(name))
    .map((name) => oncError.unknownParameter(name));
  const get = (name: string): string | null => {
    if (!accepted.has(name)) return null;
    const v = params[name];
    return v === undefined || v === '' ? null : v;
  };
  if (params['method'] !== undefined && params['method'] !== 'get') errors.push(oncError.invalidValue('method'));
  for (const [name, valid] of CODES) {
    const value = get(name);
    if (value !== null && !valid(catalogue).includes(value)) errors.push(oncError.invalidValue(name));
  }
  const dates = resolveOpenDateRange(get('dateFrom') ?? undefined, get('dateTo') ?? undefined, nowMs, {
    fromName: 'dateFrom',
    toName: 'dateTo',
    futureStart: 'error',
  });
  if (!dates.ok) errors.push(...dates.errors);
  const children = get('includeChildren');
  if (children !== null && children !== 'true' && children !== 'false')
    errors.push(oncError.invalidValue('includeChildren'));
  if (errors.length > 0 || !dates.ok) return { ok: false, errors };
  return {
    ok: true,
    query: {
      get,
      fromMs: dates.fromMs,
      toMs: dates.toMs,
      dated: get('dateFrom') !== null || get('dateTo') !== null,
      includeChildren: children === 'true',
    },
  };
}

/** Case-insensitive substring match of an optional name filter. */
export const nameMatches = (filter: string | null, text: string): boolean =>
  filter === null || text.toLowerCase().includes(filter.toLowerCase());
