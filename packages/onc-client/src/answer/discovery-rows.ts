import type { OncCallContext } from '../call-context.js';
import { OncProtocolError } from '../errors/onc-protocol-error.js';
import { isRecord } from './json-shape.js';

/** A discovery answer: one record per location, device, category or data product found (fields vary by service). */
export function parseDiscoveryRows(json: unknown, context: OncCallContext): Array<Record<string, unknown>> {
  if (!Array.isArray(json)) throw new OncProtocolError(context, 200, 'a discovery answer that is not a list');
  return json.filter(isRecord);
}
