import type { SpecIssue } from '@onc-orders/jobs';
import type { ZodFastifySchemaValidationError } from 'fastify-type-provider-zod';

/** "/filters/dateTo" → "filters.dateTo". */
function dottedPath(instancePath: string): string {
  return instancePath.split('/').filter(Boolean).join('.');
}

function unrecognisedKeysOf(error: ZodFastifySchemaValidationError): string[] {
  const keys: unknown = error.params['keys'];
  return Array.isArray(keys) ? keys.filter((key): key is string => typeof key === 'string') : [];
}

/**
 * The issues of a failed schema validation, each naming the field it concerns as a dotted path — the same shape as
 * OrderSpecError's issues. An unknown key is reported at its own path, so `{ "splt": … }` names `splt`, not the
 * object around it. `context` (body, querystring, …) names issues about the whole input.
 */
export function validationIssues(errors: readonly ZodFastifySchemaValidationError[], context: string): SpecIssue[] {
  return errors.flatMap((error) => {
    const path = dottedPath(error.instancePath);
    const unknownKeys = error.keyword === 'unrecognized_keys' ? unrecognisedKeysOf(error) : [];
    if (unknownKeys.length > 0) {
      return unknownKeys.map((key) => ({ field: path ? `${path}.${key}` : key, message: 'is not a known field' }));
    }
    return [{ field: path || context, message: error.message ?? 'is invalid' }];
  });
}
