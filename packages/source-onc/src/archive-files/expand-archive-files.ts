import { OrderSpecError, OrderTooLargeError } from '@onc-orders/jobs';
import { OncValidationError, resolveTimeRange } from '@onc-orders/onc-client';
import { countWindows, splitRange, timeWindows } from '../time-windows.js';
import type { ArchiveFilesSpec } from './archive-files-spec.js';
import type { ArchiveListingParams } from './archive-files-state.js';

const optionalFilters = ['fileExtension', 'dataProductCode', 'dateArchivedFrom', 'dateArchivedTo'] as const;

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return [...new Set(Array.isArray(value) ? value : [value])];
}

/** The code combinations an order lists: location × category pairs, or devices. */
export function codeCombinations(
  spec: ArchiveFilesSpec,
): Array<Pick<ArchiveListingParams, 'by'> & { codes: Record<string, string> }> {
  const devices = asList(spec.filters.deviceCode);
  if (devices.length > 0) return devices.map((deviceCode) => ({ by: 'device' as const, codes: { deviceCode } }));
  return asList(spec.filters.locationCode).flatMap((locationCode) =>
    asList(spec.filters.deviceCategoryCode).map((deviceCategoryCode) => ({
      by: 'location' as const,
      codes: { locationCode, deviceCategoryCode },
    })),
  );
}

function checkedRange(spec: ArchiveFilesSpec): void {
  try {
    resolveTimeRange(spec.filters.dateFrom, spec.filters.dateTo);
  } catch (error) {
    if (error instanceof OncValidationError) {
      throw new OrderSpecError([{ field: `filters.${error.field ?? 'dateFrom'}`, message: error.message }]);
    }
    throw error;
  }
}

/**
 * The listings of an order, one per combination of codes and window (codes outermost), counted before they are
 * built so a huge order is refused cheaply with its real size.
 */
export function expandArchiveFiles(spec: ArchiveFilesSpec, maxProducts: number): ArchiveListingParams[] {
  checkedRange(spec);
  const split = splitRange(spec.split, spec.filters);
  const combinations = codeCombinations(spec);
  const total = combinations.length * (split ? countWindows(split) : 1);
  if (total > maxProducts) throw new OrderTooLargeError(total, maxProducts);
  const windows = split ? timeWindows(split) : [{ dateFrom: spec.filters.dateFrom, dateTo: spec.filters.dateTo }];
  const shared: Record<string, string> = {};
  for (const name of optionalFilters) {
    const value = spec.filters[name];
    if (value !== undefined) shared[name] = value;
  }
  return combinations.flatMap(({ by, codes }) =>
    windows.map((window) => ({ by, query: { ...codes, ...window, ...shared } })),
  );
}
