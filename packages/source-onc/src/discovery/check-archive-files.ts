import type { OrderCheck } from '@onc-orders/jobs';
import type { ArchiveListingParams } from '../archive-files/archive-files-state.js';
import type { OncService } from '../onc-service.js';
import { askDiscovery, refusal } from './ask-discovery.js';
import { checkCombinations, groupByFields, type Judgement } from './check-combinations.js';
import { distinctValues } from './discovery-fields.js';

function codesOf(params: ArchiveListingParams): Record<string, string> {
  const { locationCode, deviceCategoryCode, deviceCode } = params.query;
  return deviceCode !== undefined
    ? { deviceCode }
    : { locationCode: locationCode ?? '', deviceCategoryCode: deviceCategoryCode ?? '' };
}

/**
 * Whether ONC knows the device, or has the device category at the location: asked of `devices` or
 * `deviceCategories`; a miss is asked about more widely to say what is there (the categories at the location, or
 * that the location is unknown).
 */
async function judgeCodes(
  service: OncService,
  codes: Record<string, string>,
  signal: AbortSignal | undefined,
): Promise<Judgement> {
  const { deviceCode, locationCode = '', deviceCategoryCode = '' } = codes;
  if (deviceCode !== undefined) {
    const devices = await askDiscovery(service, 'devices', { deviceCode }, signal);
    if (devices.kind === 'refused') return { verdict: 'refused', error: devices.error };
    return devices.rows.some((row) => row.deviceCode === deviceCode)
      ? { verdict: 'accepted' }
      : refusal('filters.deviceCode', `ONC knows no device "${deviceCode}" (codes are case-sensitive)`);
  }
  const there = await askDiscovery(service, 'deviceCategories', { locationCode, deviceCategoryCode }, signal);
  if (there.kind === 'rows' && there.rows.some((row) => row.deviceCategoryCode === deviceCategoryCode)) {
    return { verdict: 'accepted' };
  }
  // Not there, or refused as a bad code: what the location does have names the allowed values.
  const atLocation = await askDiscovery(service, 'deviceCategories', { locationCode }, signal);
  if (atLocation.kind === 'rows' && atLocation.rows.length > 0) {
    return refusal(
      'filters.deviceCategoryCode',
      `ONC has no ${deviceCategoryCode} at ${locationCode}; it has ${distinctValues(atLocation.rows, 'deviceCategoryCode').join(', ')}`,
    );
  }
  const locations = await askDiscovery(service, 'locations', { locationCode }, signal);
  if (locations.kind === 'rows' && locations.rows.length === 0) {
    return refusal('filters.locationCode', `ONC knows no location "${locationCode}" (codes are case-sensitive)`);
  }
  if (there.kind === 'refused') return { verdict: 'refused', error: there.error };
  return refusal('filters.deviceCategoryCode', `ONC has no device categories at ${locationCode}`);
}

/** Checks every distinct combination of codes of an archive order against ONC's discovery services, once each. */
export function checkArchiveFiles(
  service: OncService,
  products: ReadonlyArray<{ ordinal: number; params: ArchiveListingParams }>,
  signal: AbortSignal | undefined,
): Promise<OrderCheck> {
  return checkCombinations(groupByFields(products, codesOf), (codes) => judgeCodes(service, codes, signal));
}
