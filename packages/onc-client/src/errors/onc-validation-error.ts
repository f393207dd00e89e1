import type { OncMethod } from '../onc-method.js';
import { OncError } from './onc-error.js';

/** One problem found in the caller's input, named by the filter (or "/"-joined filters) it concerns. */
export interface ValidationIssue {
  field: string;
  message: string;
}

/** The caller's input is wrong; raised before any HTTP call, so nothing was sent to ONC. */
export class OncValidationError extends OncError {
  override name = 'OncValidationError';
  /** The field of the first issue; `issues` lists them all. */
  readonly field: string;
  readonly issues: ValidationIssue[];

  constructor(issues: ValidationIssue[], method?: OncMethod) {
    const listed = issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
    super(`Invalid ONC ${method ?? 'input'}: ${listed}`, { method, parameter: issues[0]?.field });
    this.field = issues[0]?.field ?? '';
    this.issues = issues;
  }
}
