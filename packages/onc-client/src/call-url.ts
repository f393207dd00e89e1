import type { OncMethod } from './onc-method.js';

export const SERVICE_PATH = '/api/dataProductDelivery';

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
 * The URL of one call. 'path' is what ONC's current Python client sends (/api/dataProductDelivery/run?...);
 * 'method' is the documented form (/api/dataProductDelivery?method=run&...). The result holds the token:
 * it goes to the HTTP layer only, never to a log (use redactToken for that).
 */
export function buildCallUrl(parts: CallUrlParts): string {
  const root = parts.baseUrl.replace(/\/+$/, '');
  const path = parts.urlStyle === 'path' ? `${SERVICE_PATH}/${parts.method}` : SERVICE_PATH;
  const query = new URLSearchParams();
  if (parts.urlStyle === 'method') query.set('method', parts.method);
  query.set('token', parts.token);
  for (const [name, value] of Object.entries(parts.params)) query.set(name, value);
  return `${root}${path}?${query.toString()}`;
}
