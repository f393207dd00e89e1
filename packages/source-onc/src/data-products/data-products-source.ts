import { OrderSpecError, type Source } from '@onc-orders/jobs';
import { checkDataProducts } from '../discovery/check-data-products.js';
import { startFromCheck } from '../discovery/check-combinations.js';
import type { OncService } from '../onc-service.js';
import { dataProductsSpecSchema, oncDataProductsSourceName, type DataProductsSpec } from './data-products-spec.js';
import {
  fileRef,
  initialDataProductState,
  type DataProductFileMeta,
  type DataProductParams,
  type DataProductState,
} from './data-products-state.js';
import { dataProductsView } from './data-products-view.js';
import { expandDataProducts } from './expand-data-products.js';
import { fetchDataProductFile, runOfFile } from './fetch-data-product-file.js';
import { pollStep } from './poll-step.js';
import { requestStep } from './request-step.js';
import { runStep } from './run-step.js';
import { transientFromOutcome } from '../describe-outcome.js';

export type DataProductsSource = Source<DataProductsSpec, DataProductParams, DataProductState, DataProductFileMeta>;

/** The steps of ONC's conversation where a test can kill a worker (see the core's failpoints). */
export const dataProductsFailpoints = ['after-request-before-save', 'after-request-saved', 'after-run-before-save'];

/**
 * ONC's data products behind the source port: `request` (once), `run` (once, its runs recovered through `status`
 * after a crash), `status` until ONC's processing ends, then `download` of every file of every run, the metadata
 * file included when asked for. A 410 for a file not on disk is retried, then (with deleteFile) the product is
 * ordered again; cancelled runs are restarted with ONC's `restart`.
 */
export function createDataProductsSource(service: OncService): DataProductsSource {
  return {
    name: oncDataProductsSourceName,
    service: service.limits,
    specSchema: dataProductsSpecSchema,
    labelOf: (spec) => spec.label,
    expand: (spec, limits) =>
      expandDataProducts(spec, limits.maxProducts).map((params) => ({ params, state: initialDataProductState })),
    // No `request` is sent before every distinct combination was checked against ONC's discovery service.
    checkOrder: (order, context) => checkDataProducts(service, order.products, context.signal),
    startOrder: async (order, context) =>
      startFromCheck(await checkDataProducts(service, order.products, context.signal)),
    prepare: (product, context) => {
      const step = { service, product, context };
      const { dpRequestId, runRequestedAt, runs } = product.state;
      if (dpRequestId === null) return requestStep(step);
      // Runs are known only once `run` was called for this request; without that, ONC has not run it yet.
      return runRequestedAt === null || runs.length === 0 ? runStep(step, dpRequestId) : pollStep(step, dpRequestId);
    },
    // A partial copy is resumed only from the run it came from, never stitched to another run's bytes.
    copyOf: (file, product) => String(runOfFile(product, file.meta).dpRunId),
    fetch: (file, product, request) => fetchDataProductFile(service, file, product, request),
    nextFile: (file, product) => {
      // Only a run whose file count ONC did not tell is walked index by index, until ONC answers 204 or 404.
      if (file.meta.index === 'meta' || product.state.runs[file.meta.run]?.fileCount) return undefined;
      const meta = { run: file.meta.run, index: String(Number(file.meta.index) + 1), dpRunId: null };
      return { ref: fileRef(product.ordinal, meta), meta };
    },
    // ONC deletes a file once it has sent it whole when deleteFile is true (its default). A file gone after a download
    // under such a spec, even one restarted since with deleteFile false, can only come back by ordering it again.
    afterGone: (spec, submitted) => (spec.deleteFile || submitted.deleteFile ? 'reorder' : 'fail'),
    reorderState: (state) => ({ ...state, dpRequestId: null, runRequestedAt: null, requestSentAt: null, runs: [] }),
    hasRemoteWork: (state) => state.dpRequestId !== null,
    cancelRemote: async (product, signal) => {
      const outcome = await service.client.cancel(product.state.dpRequestId ?? 0, signal);
      if (outcome.kind === 'transient') throw transientFromOutcome(outcome);
      return outcome.kind === 'ok'
        ? `ONC cancelled ${outcome.value.length} run(s)`
        : `ONC cancel answered ${outcome.kind}`;
    },
    resume: (state, hasFiles) => {
      if (state.dpRequestId === null) return { from: 'start', state };
      if (state.runs.some((run) => run.status === 'error')) return { from: 'reorder', state };
      if (state.runs.length > 0 && state.runs.every((run) => run.status === 'complete')) {
        // A product cancelled just as ONC finished has no files yet; its next `status` check lists them.
        return { from: hasFiles ? 'download' : 'prepare', state };
      }
      // Runs queued, running or cancelled by us: recovered through `status` (and ONC's `restart`), never run twice.
      return { from: 'prepare', state: { ...state, runs: [] } };
    },
    applyRestartOptions: (spec, options) => {
      const { deleteFile, ...others } = options;
      const unknown = Object.keys(others);
      if (unknown.length > 0) {
        throw new OrderSpecError(unknown.map((field) => ({ field, message: 'cannot be changed on restart' })));
      }
      if (deleteFile !== undefined && typeof deleteFile !== 'boolean') {
        throw new OrderSpecError([{ field: 'deleteFile', message: 'must be true or false' }]);
      }
      return deleteFile === undefined ? spec : { ...spec, deleteFile };
    },
    failpoints: dataProductsFailpoints,
    view: dataProductsView,
    close: () => service.client.close(),
  };
}
