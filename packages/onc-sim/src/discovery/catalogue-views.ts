/**
 * The catalogue seen the way the discovery services describe it: a location's place in the tree, a device's
 * deployment span and position, and the values derived when the catalogue leaves an optional field out.
 */
import type { Catalogue, CatalogueDevice, CatalogueLocation } from '../catalogue.js';

/** A device's deployment: from `dataFrom` until `dataTo` (or, while it records, the clock). */
export function deploymentSpan(device: CatalogueDevice, nowMs: number): { fromMs: number; toMs: number } {
  return { fromMs: Date.parse(device.dataFrom), toMs: device.dataTo === null ? nowMs : Date.parse(device.dataTo) };
}

/** Whether the device was deployed at some time in [fromMs, toMs). */
export function deployedDuring(device: CatalogueDevice, fromMs: number, toMs: number, nowMs: number): boolean {
  const span = deploymentSpan(device, nowMs);
  return span.fromMs < toMs && fromMs < span.toMs;
}

/** The location and everything under it in the tree, as codes. */
export function subtreeCodes(catalogue: Catalogue, locationCode: string): Set<string> {
  const codes = new Set([locationCode]);
  for (let grew = true; grew;) {
    grew = false;
    for (const l of catalogue.locations)
      if (l.parentLocationCode !== undefined && codes.has(l.parentLocationCode) && !codes.has(l.locationCode)) {
        codes.add(l.locationCode);
        grew = true;
      }
  }
  return codes;
}

export const childrenOf = (catalogue: Catalogue, locationCode: string): CatalogueLocation[] =>
  catalogue.locations.filter((l) => l.parentLocationCode === locationCode);

export const isRoot = (catalogue: Catalogue, location: CatalogueLocation): boolean =>
  location.parentLocationCode === undefined ||
  !catalogue.locations.some((l) => l.locationCode === location.parentLocationCode);

export function locationOf(catalogue: Catalogue, code: string): CatalogueLocation | undefined {
  return catalogue.locations.find((l) => l.locationCode === code);
}

/** Where a device sits: its location's position, its own depth when it has one. */
export function devicePosition(catalogue: Catalogue, device: CatalogueDevice) {
  const location = locationOf(catalogue, device.locationCode);
  return {
    lat: location?.lat ?? 0,
    lon: location?.lon ?? 0,
    depth: device.depth ?? location?.depth ?? 0,
  };
}

/** The DOI the simulator gives a device's data (the same one `request`'s citations carry). */
export const deviceDoi = (device: CatalogueDevice): string => `10.80242/sim-${device.deviceId}`;
