import type { OrderStartOutcome, ProductPlan } from '@onc-orders/jobs';
import type { DataStreamService } from './datastream-service.js';
import { partitioningOf, type DataStreamSpec } from './datastream-spec.js';
import { readAllPages } from './paged-read.js';
import { resourceUrl } from './partition-query.js';
import { initialPartitionState, type PartitionParams, type PartitionState } from './partition-state.js';
import { maxTop } from './datastream-resources.js';

type StartOutcome = OrderStartOutcome<PartitionParams, PartitionState, unknown>;

/** DOIs per `/Metadata` call when asking for the datasets' years: keeps each URL short. */
const doisPerCall = 40;

/** A `DOI in ('…', '…')` filter, each DOI quoted as OData quotes (a `'` doubled). */
export function doiInFilter(dois: readonly string[]): string {
  return `DOI in (${dois.map((doi) => `'${doi.replace(/'/g, "''")}'`).join(', ')})`;
}

/** The years a TemporalExtent spans (`["2016-05-02", "2019-10-30"]`, or any text with years in it), first to last. */
export function yearsOf(temporalExtent: unknown): number[] {
  const text = typeof temporalExtent === 'string' ? temporalExtent : JSON.stringify(temporalExtent ?? null);
  const years = [...text.matchAll(/(?<!\d)(\d{4})-\d{2}/g)].map((match) => Number(match[1]));
  if (years.length === 0) return [];
  const first = Math.min(...years);
  const last = Math.max(...years);
  return Array.from({ length: last - first + 1 }, (_, index) => first + index);
}

async function yearsByDoi(
  service: DataStreamService,
  dois: readonly string[],
  signal: AbortSignal | undefined,
): Promise<Map<string, number[]> | StartOutcome> {
  const years = new Map<string, number[]>();
  for (let start = 0; start < dois.length; start += doisPerCall) {
    const url = resourceUrl(service.baseUrl, 'Metadata', [
      ['$select', 'DOI,TemporalExtent'],
      ['$filter', doiInFilter(dois.slice(start, start + doisPerCall))],
      ['$top', String(maxTop)],
    ]);
    const listing = await readAllPages(service, url, signal);
    if (listing.kind === 'failed') return listing;
    for (const row of listing.rows)
      if (typeof row['DOI'] === 'string') years.set(row['DOI'], yearsOf(row['TemporalExtent']));
  }
  return years;
}

/**
 * The order's first step: the partitions, listed once and saved before any of them starts. Locations come from
 * `/Locations?$select=Id,DOI&$filter=<the order's filter>`, paged to the end (the DOI says which dataset a location's
 * rows cite); with `location-year`, each location is cut into the years of its dataset's TemporalExtent (a location
 * whose dataset has none is pulled whole). A bad key fails the order at once.
 */
export async function listPartitions(
  service: DataStreamService,
  spec: DataStreamSpec,
  signal: AbortSignal | undefined,
): Promise<StartOutcome> {
  const partitioning = partitioningOf(spec);
  if (partitioning === 'none') return { kind: 'started', state: { partitioning } };
  const url = resourceUrl(service.baseUrl, 'Locations', [
    ['$select', 'Id,DOI'],
    ['$filter', spec.filter],
    ['$top', String(maxTop)],
  ]);
  const listing = await readAllPages(service, url, signal);
  if (listing.kind === 'failed') return listing;
  const locations = listing.rows
    .filter((row) => typeof row['Id'] === 'number')
    .map((row) => ({ id: row['Id'] as number, doi: typeof row['DOI'] === 'string' ? row['DOI'] : null }))
    .sort((a, b) => a.id - b.id);

  let plans: PartitionParams[] = locations.map((location) => ({
    locationId: location.id,
    year: null,
    doi: location.doi,
  }));
  if (partitioning === 'location-year') {
    const dois = [...new Set(locations.flatMap((location) => (location.doi === null ? [] : [location.doi])))];
    const years = await yearsByDoi(service, dois, signal);
    if (!(years instanceof Map)) return years;
    plans = plans.flatMap((plan) => {
      const span = plan.doi === null ? [] : (years.get(plan.doi) ?? []);
      return span.length === 0 ? [plan] : span.map((year) => ({ ...plan, year }));
    });
  }
  const add: Array<ProductPlan<PartitionParams, PartitionState>> = plans.map((params) => ({
    params,
    state: initialPartitionState(service.pageSize),
  }));
  return {
    kind: 'started',
    state: { partitioning, locations: locations.length, partitions: add.length },
    add,
    events: [
      {
        kind: 'partitions',
        reason: `${locations.length} location(s) match the filter: ${add.length} partition(s) by ${partitioning}`,
      },
    ],
  };
}
