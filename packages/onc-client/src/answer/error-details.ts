import type { OncErrorDetail } from '../onc-error-detail.js';
import { isRecord, readInteger } from './json-shape.js';

/**
 * The `errors` list of a 400/401 body, or undefined when the body has none (a download from a cancelled run answers
 * 400 that way). Entries missing a field keep what they have rather than being dropped.
 */
export function readErrorDetails(body: unknown): OncErrorDetail[] | undefined {
  if (!isRecord(body) || !Array.isArray(body.errors) || body.errors.length === 0) return undefined;
  return body.errors.map((entry: unknown): OncErrorDetail => {
    const record = isRecord(entry) ? entry : {};
    return {
      errorCode: readInteger(record.errorCode) ?? 0,
      errorMessage: typeof record.errorMessage === 'string' ? record.errorMessage : '',
      parameter: typeof record.parameter === 'string' ? record.parameter : '',
    };
  });
}
