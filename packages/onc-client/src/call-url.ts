import { archiveMethods, type ArchiveMethod, type DataProductMethod, type OncMethod } from './onc-method.js';

export const SERVICE_PATH = '/api/dataProductDelivery';

/** The older archive form the MATLAB and R clients still send: /api/archivefiles?method=getListByLocation&… */
const olderArchiveMethods: Record<ArchiveMethod, string> = {
  'archivefile/location': 'getListByLocation',
  'archivefile/device': 'getListByDevice',
  'archivefile/download': 'getFile',
};

function pathOf(method: OncMethod, style: UrlStyle): { path: string; method?: string } {
  if ((archiveMethods as readonly string[]).includes(method)) {
    const archive = method as ArchiveMethod;
    return style === 'path'
      ? { path: `/api/${archive}` }
      : { path: '/api/archivefiles', method: olderArchiveMethods[archive] };
  }
  if (isDataProductMethod(method)) {
    return style === 'path' ? { path: `${SERVICE_PATH}/${method}` } : { path: SERVICE_PATH, method };
  }
  // Discovery services have one form only.
  return { path: `/api/${method}` };
}

function isDataProductMethod(method: OncMethod): method is DataProductMethod {
  return ['request', 'run', 'status', 'download', 'cancel', 'restart'].includes(method);
}

export type UrlStyle = 'path' | 'method';

export interface CallUrlParts {
  /** Site root, e.g. "https://data.oceannetworks.ca" (a trailing slash is tolerated). */
  baseUrl: string;
  urlStyle: UrlStyle;
  method: OncMethod;
  token: string;
  params: Record<string, string>;
}

/**
 * The URL of one call. 'path' is what ONC's current Python client sends (/api/dataProductDelivery/run?...,
 * /api/archivefile/location?...); 'method' is the documented older form (/api/dataProductDelivery?method=run&...,
 * /api/archivefiles?method=getListByLocation&...). The result holds the token:
 * it goes to the HTTP layer only, never to a log (use redactToken for that).
 */
export function buildCallUrl(parts: CallUrlParts): string {
  const root = parts.baseUrl.replace(/\/+$/, '');
  const { path, method } = pathOf(parts.method, parts.urlStyle);
  const query = new URLSearchParams();
  if (method !== undefined) query.set('method', method);
  query.set('token', parts.token);
  for (const [name, value] of Object.entries(parts.params)) query.set(name, value);
  return `${root}${path}?${query.toString()}`;
}
