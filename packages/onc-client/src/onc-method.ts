/** The six calls of ONC's dataProductDelivery service. Every one is an HTTP GET. */
export type DataProductMethod = 'request' | 'run' | 'status' | 'download' | 'cancel' | 'restart';

/** The archivefile service: list by location or device, and fetch one file by name. */
export type ArchiveMethod = 'archivefile/location' | 'archivefile/device' | 'archivefile/download';

/** The discovery services an order is checked against. */
export type DiscoveryMethod = 'dataProducts' | 'locations' | 'devices' | 'deviceCategories';

/** Every ONC call this client makes. */
export type OncMethod = DataProductMethod | ArchiveMethod | DiscoveryMethod;

export const archiveMethods: readonly ArchiveMethod[] = [
  'archivefile/location',
  'archivefile/device',
  'archivefile/download',
];

/** Calls whose 200 and 206 answers are a file, streamed, rather than JSON. */
export function answersWithFile(method: OncMethod): boolean {
  return method === 'download' || method === 'archivefile/download';
}
