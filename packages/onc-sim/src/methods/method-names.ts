/** The dataProductDelivery methods (case-sensitive, like ONC) and the parameters each accepts. */

export const ONC_METHODS = ['request', 'status', 'run', 'download', 'cancel', 'restart'] as const;
export type OncMethod = (typeof ONC_METHODS)[number];

export const isOncMethod = (name: string): name is OncMethod => (ONC_METHODS as readonly string[]).includes(name);

const REQUEST_FILTERS = [
  'dataProductCode',
  'extension',
  'dateFrom',
  'dateTo',
  'locationCode',
  'deviceCategoryCode',
  'deviceCode',
  'propertyCode',
] as const;

const PARAMETERS: Record<OncMethod, readonly string[]> = {
  request: REQUEST_FILTERS,
  status: ['dpRequestId'],
  run: ['dpRequestId'],
  cancel: ['dpRequestId'],
  restart: ['dpRequestId'],
  download: ['dpRunId', 'index', 'deleteFile'],
};

/** Whether `name` is a parameter `method` accepts (`token` and `method` are accepted everywhere). */
export function acceptsParameter(method: OncMethod, name: string): boolean {
  if (name === 'token' || name === 'method') return true;
  if (method === 'request' && name.startsWith('dpo_') && name.length > 4) return true;
  return PARAMETERS[method].includes(name);
}

/** Parameters whose absence the generic layer reports (request's own rules live in search.ts). */
export const REQUIRED_PARAMETERS: Record<OncMethod, readonly string[]> = {
  request: [],
  status: ['dpRequestId'],
  run: ['dpRequestId'],
  cancel: ['dpRequestId'],
  restart: ['dpRequestId'],
  download: ['dpRunId', 'index'],
};

/**
 * The archivefile service's methods, named by their path under `/api/`. The older form
 * (`/api/archivefiles?method=getListByLocation|getListByDevice|getFile`) maps onto the same names, so a fault or a
 * look at the call log covers both URL forms.
 */
export const ARCHIVE_METHODS = ['archivefile/location', 'archivefile/device', 'archivefile/download'] as const;
export type ArchiveMethod = (typeof ARCHIVE_METHODS)[number];

/** The older form's `method` values and the archive methods they stand for (case-sensitive). */
export const LEGACY_ARCHIVE_METHODS: Readonly<Record<string, ArchiveMethod>> = {
  getListByLocation: 'archivefile/location',
  getListByDevice: 'archivefile/device',
  getFile: 'archivefile/download',
};

/** The discovery services, named by their path under `/api/`. */
export const DISCOVERY_METHODS = [
  'locations',
  'locations/tree',
  'devices',
  'deviceCategories',
  'properties',
  'dataProducts',
  'deployments',
] as const;
export type DiscoveryMethod = (typeof DISCOVERY_METHODS)[number];

/** Every method the simulator serves: what the call log records and what faults can target. */
export const SIM_METHODS = [...ONC_METHODS, ...ARCHIVE_METHODS, ...DISCOVERY_METHODS] as const;
export type SimMethod = (typeof SIM_METHODS)[number];

export const isSimMethod = (name: string): name is SimMethod => (SIM_METHODS as readonly string[]).includes(name);
export const isArchiveMethod = (name: string): name is ArchiveMethod =>
  (ARCHIVE_METHODS as readonly string[]).includes(name);
export const isDiscoveryMethod = (name: string): name is DiscoveryMethod =>
  (DISCOVERY_METHODS as readonly string[]).includes(name);

/** The three services, as the call log names them. */
export type SimService = 'dataProductDelivery' | 'archivefile' | 'discovery';
