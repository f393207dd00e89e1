import { describeCall, type OncCallContext } from '../call-context.js';
import type { OncErrorDetail } from '../onc-error-detail.js';
import { OncError } from './onc-error.js';

function describeDetails(errors: OncErrorDetail[]): string {
  if (errors.length === 0) return 'no error details given';
  return errors
    .map((detail) => `errorCode ${detail.errorCode} on "${detail.parameter}": ${detail.errorMessage}`)
    .join('; ');
}

/**
 * ONC refused the call (400/401 and other 4xx): a mistake in what was asked, so repeating it cannot help.
 * The first error's code and parameter are copied onto the instance.
 */
export class OncRejectedError extends OncError {
  override name = 'OncRejectedError';
  readonly errors: OncErrorDetail[];

  constructor(context: OncCallContext, httpStatus: number, errors: OncErrorDetail[], note?: string) {
    const first = errors[0];
    const explanation = note === undefined ? describeDetails(errors) : `${note}; ${describeDetails(errors)}`;
    super(`${describeCall(context)} was rejected with HTTP ${httpStatus}: ${explanation}`, {
      ...context,
      httpStatus,
      errorCode: first?.errorCode,
      parameter: first?.parameter,
    });
    this.errors = errors;
  }
}
