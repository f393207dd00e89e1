import type { OncMethod } from './onc-method.js';

/** What a call was about: enough to name it in an error message without ever naming the token. */
export interface OncCallContext {
  method: OncMethod;
  dpRequestId?: number;
  dpRunId?: number;
  index?: number | 'meta';
}

/** "ONC download (dpRunId 5968038, index 2)": the subject every error message starts with. */
export function describeCall(context: OncCallContext): string {
  const identifiers: string[] = [];
  if (context.dpRequestId !== undefined) identifiers.push(`dpRequestId ${context.dpRequestId}`);
  if (context.dpRunId !== undefined) identifiers.push(`dpRunId ${context.dpRunId}`);
  if (context.index !== undefined) identifiers.push(`index ${context.index}`);
  const suffix = identifiers.length > 0 ? ` (${identifiers.join(', ')})` : '';
  return `ONC ${context.method}${suffix}`;
}
