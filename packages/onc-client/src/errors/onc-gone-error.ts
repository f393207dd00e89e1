import { describeCall, type OncCallContext } from '../call-context.js';
import { OncError } from './onc-error.js';

/**
 * 410 on a download. Usually final (deleted after an earlier download with deleteFile, or by clean-up), but ONC also
 * answers 410 while a finished file has not reached its FTP server yet; the caller decides how often to look again.
 */
export class OncGoneError extends OncError {
  override name = 'OncGoneError';

  constructor(context: OncCallContext) {
    super(
      `${describeCall(context)} answered HTTP 410 Gone: the file was deleted (earlier download with deleteFile, or ` +
        'clean-up) or is not on the FTP server yet',
      { ...context, httpStatus: 410 },
    );
  }
}
