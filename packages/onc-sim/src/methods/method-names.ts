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
