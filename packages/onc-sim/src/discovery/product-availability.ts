/**
 * When a data product is offered for a selection of location, device category, device and property: the one rule
 * the dataProducts service answers by, written to agree with what `request` (search.ts) accepts. For every search
 * type `request` knows, a product/extension pair is offered exactly when some date range makes `request` succeed:
 *  - some device matches the selection (otherwise `request` finds no data, 33, for every range);
 *  - a given device category is one the product is made for (else 71 on deviceCategoryCode);
 *  - a given device's category is one the product is made for (else 71 on deviceCode);
 *  - a given property is one the product is made for (else 71 on propertyCode).
 * With none of category, device and property given (a location alone, or nothing), the product is offered when a
 * matching device is of a category, or measures a property, the product is made for.
 */
import type { Catalogue, CatalogueDataProduct, CatalogueDevice } from '../catalogue.js';

export interface ProductSelection {
  locationCode: string | null;
  deviceCategoryCode: string | null;
  deviceCode: string | null;
  propertyCode: string | null;
}

export const selectionDevices = (catalogue: Catalogue, s: ProductSelection): CatalogueDevice[] =>
  catalogue.devices.filter(
    (d) =>
      (s.locationCode === null || d.locationCode === s.locationCode) &&
      (s.deviceCategoryCode === null || d.deviceCategoryCode === s.deviceCategoryCode) &&
      (s.deviceCode === null || d.deviceCode === s.deviceCode) &&
      (s.propertyCode === null || d.propertyCodes.includes(s.propertyCode)),
  );

export function productOffered(catalogue: Catalogue, product: CatalogueDataProduct, s: ProductSelection): boolean {
  const devices = selectionDevices(catalogue, s);
  if (devices.length === 0) return false;
  const madeFor = (d: CatalogueDevice) => product.deviceCategoryCodes.includes(d.deviceCategoryCode);
  if (s.deviceCategoryCode !== null && !product.deviceCategoryCodes.includes(s.deviceCategoryCode)) return false;
  if (s.deviceCode !== null && !devices.every(madeFor)) return false;
  if (s.propertyCode !== null && !product.propertyCodes.includes(s.propertyCode)) return false;
  if (s.deviceCategoryCode === null && s.deviceCode === null && s.propertyCode === null)
    return devices.some((d) => madeFor(d) || d.propertyCodes.some((p) => product.propertyCodes.includes(p)));
  return true;
}
