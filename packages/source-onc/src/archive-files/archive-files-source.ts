import type { Source } from '@onc-orders/jobs';
import { checkArchiveFiles } from '../discovery/check-archive-files.js';
import { startFromCheck } from '../discovery/check-combinations.js';
import type { OncService } from '../onc-service.js';
import { archiveFilesSpecSchema, oncArchiveFilesSourceName, type ArchiveFilesSpec } from './archive-files-spec.js';
import {
  initialArchiveListingState,
  type ArchiveFileMeta,
  type ArchiveListingParams,
  type ArchiveListingState,
} from './archive-files-state.js';
import { archiveFilesView } from './archive-files-view.js';
import { expandArchiveFiles } from './expand-archive-files.js';
import { fetchArchiveFile } from './fetch-archive-file.js';
import { listArchiveStep } from './list-archive-step.js';

export type ArchiveFilesSource = Source<ArchiveFilesSpec, ArchiveListingParams, ArchiveListingState, ArchiveFileMeta>;

export const archiveFilesFailpoints = ['after-listing-page-saved'];

/**
 * ONC's archived files behind the source port: the order's codes are first checked against ONC's discovery
 * services; each window's listing is then followed page by page (each page saved before the next is asked for),
 * and every listed file is downloaded by name, once per order however many windows list it. Shares ONC's client
 * and fleet-wide limits with the data products.
 */
export function createArchiveFilesSource(service: OncService): ArchiveFilesSource {
  return {
    name: oncArchiveFilesSourceName,
    service: service.limits,
    specSchema: archiveFilesSpecSchema,
    labelOf: (spec) => spec.label,
    expand: (spec, limits) =>
      expandArchiveFiles(spec, limits.maxProducts).map((params) => ({ params, state: initialArchiveListingState })),
    checkOrder: (order, context) => checkArchiveFiles(service, order.products, context.signal),
    startOrder: async (order, context) =>
      startFromCheck(await checkArchiveFiles(service, order.products, context.signal)),
    prepare: (product, context) => listArchiveStep(service, product, context),
    // An archived file is one copy, named by itself: a partial copy is always resumable from it.
    copyOf: () => 'archive',
    fetch: (file, _product, request) => fetchArchiveFile(service, file, request),
    afterGone: () => 'fail',
    reorderState: () => initialArchiveListingState,
    hasRemoteWork: () => false,
    resume: (state, hasFiles) => {
      if (state.pages === 0) return { from: 'start', state };
      return state.done && hasFiles ? { from: 'download', state } : { from: 'prepare', state };
    },
    failpoints: archiveFilesFailpoints,
    view: archiveFilesView,
  };
}
