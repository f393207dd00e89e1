import { describeCall, type OncCallContext } from '../call-context.js';
import { OncError } from './onc-error.js';

/** A download from a run that was cancelled: ONC answers 400 without its usual `errors` list. */
export class OncCancelledError extends OncError {
  override name = 'OncCancelledError';

  constructor(context: OncCallContext, oncMessage: string | undefined) {
    const detail = oncMessage === undefined || oncMessage === '' ? '' : `: ${oncMessage}`;
    super(`${describeCall(context)} answered HTTP 400 for a cancelled data product run${detail}`, {
      ...context,
      httpStatus: 400,
    });
  }
}
