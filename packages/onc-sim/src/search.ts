/**
 * The request method's filter validation: which of ONC's five search types the filters name, whether every code
 * exists, whether the product/extension pair is valid and available for what was searched, and whether there is
 * (unrestricted) data in the date range. Produces ONC's errors in ONC's order of concern: missing parameters and
 * search type (128), dates (127/23/25), codes (127), format (39), availability (71), data (33).
 */
import type { Catalogue, CatalogueDataProduct, CatalogueDevice } from './catalogue.js';
import { resolveDateRange } from './onc-dates.js';
import { oncError, type OncErrorEntry } from './onc-errors.js';

export const SEARCH_TYPES = [
  'location+deviceCategory',
  'location+deviceCategory+property',
  'location+property',
  'device',
  'device+property',
] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

export interface ResolvedSearch {
  searchType: SearchType;
  locationCode: string | null;
  deviceCategoryCode: string | null;
  deviceCode: string | null;
  propertyCode: string | null;
  product: CatalogueDataProduct;
  extension: string;
  fromMs: number;
  toMs: number;
  /** Devices matching the filters that have data in the range (at least one). */
  devices: CatalogueDevice[];
  /** The `dpo_*` options, as given. */
  options: Record<string, string>;
}

export type SearchResult = { ok: true; search: ResolvedSearch } | { ok: false; errors: OncErrorEntry[] };

const fail = (...errors: OncErrorEntry[]): SearchResult => ({ ok: false, errors });

function searchTypeOf(has: (name: string) => boolean): SearchType | null {
  const loc = has('locationCode');
  const cat = has('deviceCategoryCode');
  const dev = has('deviceCode');
  const prop = has('propertyCode');
  if (dev && !loc && !cat) return prop ? 'device+property' : 'device';
  if (loc && !dev) {
    if (cat) return prop ? 'location+deviceCategory+property' : 'location+deviceCategory';
    if (prop) return 'location+property';
  }
  return null;
}

/** @param filters the request's parameters without `token` and `method`. */
export function resolveSearch(
  catalogue: Catalogue,
  filters: Readonly<Record<string, string>>,
  nowMs: number,
): SearchResult {
  const get = (name: string): string | null => {
    const v = filters[name];
    return v === undefined || v === '' ? null : v;
  };
  const has = (name: string) => get(name) !== null;

  const missing = ['dataProductCode', 'extension'].filter((n) => !has(n));
  const dateMissing = has('dateFrom') !== has('dateTo') || (!has('dateFrom') && !has('dateTo'));
  const errors: OncErrorEntry[] = [];
  if (missing.length > 0) errors.push(oncError.missing(...missing));
  if (dateMissing) errors.push(oncError.missing('dateFrom', 'dateTo'));
  const searchType = searchTypeOf(has);
  if (!searchType) errors.push(oncError.searchTypeUndetermined());
  if (errors.length > 0 || !searchType) return fail(...errors);

  const range = resolveDateRange(get('dateFrom') ?? '', get('dateTo') ?? '', nowMs);
  if (!range.ok) return fail(range.error);

  const locationCode = get('locationCode');
  const deviceCategoryCode = get('deviceCategoryCode');
  const deviceCode = get('deviceCode');
  const propertyCode = get('propertyCode');
  const dataProductCode = get('dataProductCode') ?? '';
  const extension = get('extension') ?? '';

  const codeErrors: OncErrorEntry[] = [];
  if (locationCode !== null && !catalogue.locations.some((l) => l.locationCode === locationCode))
    codeErrors.push(oncError.invalidValue('locationCode'));
  if (
    deviceCategoryCode !== null &&
    !catalogue.deviceCategories.some((c) => c.deviceCategoryCode === deviceCategoryCode)
  )
    codeErrors.push(oncError.invalidValue('deviceCategoryCode'));
  if (deviceCode !== null && !catalogue.devices.some((d) => d.deviceCode === deviceCode))
    codeErrors.push(oncError.invalidValue('deviceCode'));
  if (propertyCode !== null && !catalogue.properties.some((p) => p.propertyCode === propertyCode))
    codeErrors.push(oncError.invalidValue('propertyCode'));
  const product = catalogue.dataProducts.find((p) => p.dataProductCode === dataProductCode);
  if (!product) codeErrors.push(oncError.invalidValue('dataProductCode'));
  if (codeErrors.length > 0 || !product) return fail(...codeErrors);

  if (!product.extensions.includes(extension)) return fail(oncError.badProductFormat());

  const devices = catalogue.devices.filter(
    (d) =>
      (locationCode === null || d.locationCode === locationCode) &&
      (deviceCategoryCode === null || d.deviceCategoryCode === deviceCategoryCode) &&
      (deviceCode === null || d.deviceCode === deviceCode) &&
      (propertyCode === null || d.propertyCodes.includes(propertyCode)),
  );

  if (deviceCategoryCode !== null && !product.deviceCategoryCodes.includes(deviceCategoryCode))
    return fail(oncError.productNotAvailable('deviceCategoryCode'));
  if (deviceCode !== null && !devices.every((d) => product.deviceCategoryCodes.includes(d.deviceCategoryCode)))
    return fail(oncError.productNotAvailable('deviceCode'));
  if (propertyCode !== null && !product.propertyCodes.includes(propertyCode))
    return fail(oncError.productNotAvailable('propertyCode'));

  const withData = devices.filter((d) => {
    const start = Date.parse(d.dataFrom);
    const end = d.dataTo === null ? nowMs : Date.parse(d.dataTo);
    return start < range.toMs && range.fromMs < end;
  });
  if (withData.length === 0) return fail(searchType.startsWith('device') ? oncError.noSiteDevice() : oncError.noData());

  const restricted = withData.find((d) => d.restriction && Date.parse(d.restriction.after) < range.toMs);
  if (restricted?.restriction)
    return fail(oncError.restricted(restricted.restriction.organization, restricted.restriction.after));

  const options: Record<string, string> = {};
  for (const [k, v] of Object.entries(filters)) if (k.startsWith('dpo_')) options[k] = v;

  return {
    ok: true,
    search: {
      searchType,
      locationCode,
      deviceCategoryCode,
      deviceCode,
      propertyCode,
      product,
      extension,
      fromMs: range.fromMs,
      toMs: range.toMs,
      devices: withData,
      options,
    },
  };
}
