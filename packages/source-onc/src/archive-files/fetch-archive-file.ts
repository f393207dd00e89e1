import type { FetchOutcome, FileSnapshot } from '@onc-orders/jobs';
import { unknownArchiveFileCode } from '@onc-orders/onc-client';
import { describeOutcome, transientFromOutcome } from '../describe-outcome.js';
import { bodyOfDownload } from '../body-of-download.js';
import type { OncService } from '../onc-service.js';
import type { ArchiveFileMeta, ArchiveListingState } from './archive-files-state.js';

type Outcome = FetchOutcome<ArchiveListingState, ArchiveFileMeta>;

/**
 * Downloads one archived file by the name its listing gave, from `rangeStart` when resuming. The listing's name is
 * the file's name on disk too (made safe by the core: it is server text).
 */
export async function fetchArchiveFile(
  service: OncService,
  file: FileSnapshot<ArchiveFileMeta>,
  request: { rangeStart?: number; signal: AbortSignal | undefined },
): Promise<Outcome> {
  const outcome = await service.client.downloadArchiveFile({
    filename: file.meta.filename,
    ...(request.rangeStart !== undefined ? { rangeStart: request.rangeStart } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  });
  switch (outcome.kind) {
    case 'ok':
      // The listing's name is the file's name on disk too.
      return bodyOfDownload(outcome.value, { fileName: file.meta.filename });
    case 'rejected':
      if (request.rangeStart !== undefined && outcome.httpStatus === 416) return { kind: 'rangeRefused' };
      // Listed, then not there: the core asks again a few times before it gives the file up.
      if (outcome.errors.some((error) => error.errorCode === unknownArchiveFileCode)) {
        return { kind: 'gone', reason: `ONC's archive has no file ${file.meta.filename} (error 96)` };
      }
      return { kind: 'failed', error: describeOutcome(outcome) };
    case 'transient':
      throw transientFromOutcome(outcome);
    case 'notReady':
    case 'endOfFiles':
    case 'gone':
    case 'runFailed':
    case 'cancelled':
      return { kind: 'failed', error: describeOutcome(outcome) };
    default: {
      const unreachable: never = outcome;
      throw new Error(`unhandled outcome ${JSON.stringify(unreachable)}`);
    }
  }
}
