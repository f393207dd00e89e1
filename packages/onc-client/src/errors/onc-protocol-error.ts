import { describeCall, type OncCallContext } from '../call-context.js';
import { OncError } from './onc-error.js';

/** ONC answered something this client cannot interpret (not JSON, missing ids, impossible headers). */
export class OncProtocolError extends OncError {
  override name = 'OncProtocolError';

  constructor(context: OncCallContext, httpStatus: number | undefined, reason: string) {
    const status = httpStatus === undefined ? '' : ` HTTP ${httpStatus}`;
    super(`${describeCall(context)} answered${status} with something unusable: ${reason}`, {
      ...context,
      httpStatus,
    });
  }
}
