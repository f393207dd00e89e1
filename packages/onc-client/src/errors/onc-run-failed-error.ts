import { describeCall, type OncCallContext } from '../call-context.js';
import { OncError } from './onc-error.js';

/** ONC reports the data product run in status "error": polling further cannot make it complete. */
export class OncRunFailedError extends OncError {
  override name = 'OncRunFailedError';
  /** ONC's own words about the failure. */
  readonly oncMessage: string;

  constructor(context: OncCallContext, httpStatus: number, oncMessage: string) {
    const detail = oncMessage === '' ? '' : `: ${oncMessage}`;
    super(`${describeCall(context)} reports the data product run failed (HTTP ${httpStatus})${detail}`, {
      ...context,
      httpStatus,
    });
    this.oncMessage = oncMessage;
  }
}
