import type { PrepareOutcome, ProductSnapshot, StepContext } from '@onc-orders/jobs';
import { noArchivedFilesError } from '@onc-orders/onc-client';
import { describeOutcome, transientFromOutcome } from '../describe-outcome.js';
import type { OncService } from '../onc-service.js';
import type { ArchiveFilesSpec } from './archive-files-spec.js';
import {
  archivePageSize,
  type ArchiveFileMeta,
  type ArchiveListingParams,
  type ArchiveListingState,
} from './archive-files-state.js';

type Outcome = PrepareOutcome<ArchiveListingState, ArchiveFileMeta>;

/** The most pages one window may take: a listing that never ends is ONC misbehaving, not a big window. */
const maxPages = 10_000;

function sameQuery(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/**
 * One page of a window's archive listing. Its files are saved with the state that points at the next page, so a
 * crash re-lists at most that page (files keyed by name: a second listing of one is the same file). The last page
 * ends the listing, and the window's files are downloaded.
 */
export async function listArchiveStep(
  service: OncService,
  product: ProductSnapshot<ArchiveFilesSpec, ArchiveListingParams, ArchiveListingState>,
  context: StepContext<ArchiveListingState>,
): Promise<Outcome> {
  const state = product.state;
  const query = state.next ?? { ...product.params.query, returnOptions: 'all', rowLimit: String(archivePageSize) };
  const outcome = await service.client.listArchive(product.params.by, query, context.signal);
  switch (outcome.kind) {
    case 'ok': {
      const page = outcome.value;
      const files = page.files.map((entry) => ({ ref: entry.filename, meta: entry }));
      const next: ArchiveListingState = {
        next: page.next,
        pages: state.pages + 1,
        listed: state.listed + files.length,
        ...(state.listedBytes !== undefined
          ? {
              listedBytes:
                state.listedBytes +
                page.files.reduce((sum, entry) => sum + (entry.uncompressedFileSize ?? entry.fileSize ?? 0), 0),
            }
          : {}),
        done: page.next === null,
        messages: [...new Set([...state.messages, ...page.messages])].slice(0, 20),
      };
      if (next.done && next.listed === 0) {
        return {
          kind: 'nodata',
          state: next,
          error: { code: null, parameter: null, message: 'ONC archived no files for this window' },
        };
      }
      if (page.next && sameQuery(page.next, query)) {
        return {
          kind: 'rejected',
          state,
          error: {
            code: null,
            parameter: null,
            message: `ONC's listing named page ${state.pages + 1} as its own next`,
          },
        };
      }
      if (next.pages >= maxPages && page.next) {
        return {
          kind: 'rejected',
          state,
          error: { code: null, parameter: null, message: `ONC's listing went on past ${maxPages} pages` },
        };
      }
      const reason = `listed page ${next.pages}: ${files.length} file(s), ${next.listed} in all`;
      return next.done
        ? { kind: 'files', state: next, files, reason: `${reason}; the listing is complete` }
        : { kind: 'continue', state: next, files, reason, failpointAfterSave: 'after-listing-page-saved' };
    }
    case 'rejected': {
      // A listing by location that finds nothing answers 400/127 on the dates, on its first page.
      const noData = state.pages === 0 ? noArchivedFilesError(outcome.errors) : undefined;
      if (noData) {
        return {
          kind: 'nodata',
          state,
          error: { code: noData.errorCode, parameter: noData.parameter, message: noData.errorMessage },
        };
      }
      return { kind: 'rejected', state, error: describeOutcome(outcome) };
    }
    case 'transient':
      throw transientFromOutcome(outcome);
    case 'notReady':
    case 'endOfFiles':
    case 'gone':
    case 'runFailed':
    case 'cancelled':
      return { kind: 'rejected', state, error: describeOutcome(outcome) };
    default: {
      const unreachable: never = outcome;
      throw new Error(`unhandled outcome ${JSON.stringify(unreachable)}`);
    }
  }
}
