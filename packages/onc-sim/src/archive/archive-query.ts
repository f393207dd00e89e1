/**
 * The archive listings' parameters: which each accepts, which are required, and what their values must look like.
 * Every problem is reported at once, as several entries of one 400 body: unknown names (129), missing parameters
 * (128, one entry each), then invalid values (127, in parameter order).
 */
import type { Catalogue, CatalogueDevice } from '../catalogue.js';
import { resolveOpenDateRange } from '../onc-dates.js';
import { oncError, type OncErrorEntry } from '../onc-errors.js';
import type { ArchiveOptions } from './archive-options.js';

export type ListingMethod = 'archivefile/location' | 'archivefile/device';

/** Accepted by every archive call: the token, the older form's method, and the response type. */
const ALWAYS = ['token', 'method', 'responseType'] as const;

const LISTING_OPTIONAL = [
  'dateFrom',
  'dateTo',
  'dateArchivedFrom',
  'dateArchivedTo',
  'fileExtension',
  'dataProductCode',
  'returnOptions',
  'rowLimit',
  'page',
  'getLatest',
] as const;

const REQUIRED: Record<ListingMethod | 'archivefile/download', readonly string[]> = {
  'archivefile/location': ['locationCode', 'deviceCategoryCode'],
  'archivefile/device': ['deviceCode'],
  'archivefile/download': ['filename'],
};

/** How listed files are written: names, full objects (`all`), or name and place (`archiveLocation`). */
export type ReturnOptions = 'names' | 'all' | 'archiveLocation';

export interface ListingQuery {
  method: ListingMethod;
  /** The devices whose files the query lists (those with an archive layout matter). */
  devices: CatalogueDevice[];
  fromMs: number;
  toMs: number;
  archivedFromMs: number;
  archivedToMs: number;
  fileExtension: string | null;
  dataProductCode: string | null;
  returnOptions: ReturnOptions;
  rowLimit: number;
  page: number;
  getLatest: boolean;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: OncErrorEntry[] };

const POSITIVE_INT = /^[1-9]\d{0,8}$/;

/** Unknown parameter names (129) and missing required ones (128) of an archive call. */
export function nameProblems(
  method: ListingMethod | 'archivefile/download',
  params: Readonly<Record<string, string>>,
): OncErrorEntry[] {
  const accepted = new Set<string>([...ALWAYS, ...REQUIRED[method]]);
  if (method !== 'archivefile/download') for (const name of LISTING_OPTIONAL) accepted.add(name);
  const problems = Object.keys(params)
    .filter((name) => !accepted.has(name))
    .map((name) => oncError.unknownParameter(name));
  for (const name of REQUIRED[method]) if ((params[name] ?? '') === '') problems.push(oncError.missing(name));
  if (params['responseType'] !== undefined && params['responseType'] !== 'json')
    problems.push(oncError.invalidValue('responseType'));
  return problems;
}

export function parseListing(
  method: ListingMethod,
  params: Readonly<Record<string, string>>,
  catalogue: Catalogue,
  options: ArchiveOptions,
  nowMs: number,
): Parsed<ListingQuery> {
  const errors = nameProblems(method, params);
  const get = (name: string): string | null => {
    const v = params[name];
    return v === undefined || v === '' ? null : v;
  };

  let devices: CatalogueDevice[] = [];
  if (method === 'archivefile/location') {
    const locationCode = get('locationCode');
    const category = get('deviceCategoryCode');
    if (locationCode !== null && !catalogue.locations.some((l) => l.locationCode === locationCode))
      errors.push(oncError.invalidValue('locationCode'));
    if (category !== null && !catalogue.deviceCategories.some((c) => c.deviceCategoryCode === category))
      errors.push(oncError.invalidValue('deviceCategoryCode'));
    devices = catalogue.devices.filter((d) => d.locationCode === locationCode && d.deviceCategoryCode === category);
  } else {
    const deviceCode = get('deviceCode');
    const device = catalogue.devices.find((d) => d.deviceCode === deviceCode);
    if (deviceCode !== null && !device) errors.push(oncError.invalidValue('deviceCode'));
    devices = device ? [device] : [];
  }

  const dates = resolveOpenDateRange(params['dateFrom'], params['dateTo'], nowMs, {
    fromName: 'dateFrom',
    toName: 'dateTo',
    futureStart: 'allow',
  });
  if (!dates.ok) errors.push(...dates.errors);
  const archived = resolveOpenDateRange(params['dateArchivedFrom'], params['dateArchivedTo'], nowMs, {
    fromName: 'dateArchivedFrom',
    toName: 'dateArchivedTo',
    futureStart: 'allow',
  });
  if (!archived.ok) errors.push(...archived.errors);

  const dataProductCode = get('dataProductCode');
  if (dataProductCode !== null && !catalogue.dataProducts.some((p) => p.dataProductCode === dataProductCode))
    errors.push(oncError.invalidValue('dataProductCode'));

  const returnText = get('returnOptions');
  const returnOptions: ReturnOptions | null =
    returnText === null ? 'names' : returnText === 'all' || returnText === 'archiveLocation' ? returnText : null;
  if (!returnOptions) errors.push(oncError.invalidValue('returnOptions'));

  const intParam = (name: string, fallback: number): number => {
    const text = get(name);
    if (text === null) return fallback;
    if (!POSITIVE_INT.test(text)) {
      errors.push(oncError.invalidValue(name));
      return fallback;
    }
    return Number(text);
  };
  const rowLimit = Math.min(intParam('rowLimit', options.defaultRowLimit), options.maxRowLimit);
  const page = intParam('page', 1);

  const latestText = get('getLatest');
  if (latestText !== null && latestText !== 'true' && latestText !== 'false')
    errors.push(oncError.invalidValue('getLatest'));

  if (errors.length > 0 || !dates.ok || !archived.ok || !returnOptions) return { ok: false, errors };
  return {
    ok: true,
    value: {
      method,
      devices,
      fromMs: dates.fromMs,
      toMs: dates.toMs,
      archivedFromMs: archived.fromMs,
      archivedToMs: archived.toMs,
      fileExtension: get('fileExtension'),
      dataProductCode,
      returnOptions,
      rowLimit,
      page,
      getLatest: latestText === 'true',
    },
  };
}
