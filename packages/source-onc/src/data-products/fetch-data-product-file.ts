import { TransientFailure, type FetchOutcome, type FileSnapshot, type ProductSnapshot } from '@onc-orders/jobs';
import { isMissingMetadataFile } from '@onc-orders/onc-client';
import { bodyOfDownload } from '../body-of-download.js';
import type { OncService } from '../onc-service.js';
import type { DataProductsSpec } from './data-products-spec.js';
import type { DataProductFileMeta, DataProductParams, DataProductState } from './data-products-state.js';
import { describeOutcome, transientFromOutcome } from '../describe-outcome.js';
import { pollDelayOf } from './step-context.js';

type Product = ProductSnapshot<DataProductsSpec, DataProductParams, DataProductState>;
type Outcome = FetchOutcome<DataProductState, DataProductFileMeta>;

/** The run a file belongs to, by its position among the product's runs. */
export function runOfFile(product: Product, meta: DataProductFileMeta) {
  const run = product.state.runs[meta.run];
  if (!run) throw new Error(`product ${product.id}: no run at position ${meta.run}`);
  return run;
}

/**
 * Downloads one file of a run with ONC's `download`, from `rangeStart` when resuming. With deleteFile on, ONC deletes
 * the file once it has sent it whole, so a later copy of it answers 410.
 */
export async function fetchDataProductFile(
  service: OncService,
  file: FileSnapshot<DataProductFileMeta>,
  product: Product,
  request: { rangeStart?: number; signal: AbortSignal | undefined },
): Promise<Outcome> {
  const run = runOfFile(product, file.meta);
  const outcome = await service.client.download({
    dpRunId: run.dpRunId,
    index: file.meta.index === 'meta' ? 'meta' : Number(file.meta.index),
    deleteFile: product.spec.deleteFile,
    ...(request.rangeStart !== undefined ? { rangeStart: request.rangeStart } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  });
  switch (outcome.kind) {
    case 'ok':
      return bodyOfDownload(outcome.value, {
        fileName: outcome.value.fileName,
        meta: { ...file.meta, dpRunId: run.dpRunId },
      });
    case 'notReady':
      return { kind: 'wait', waitMs: pollDelayOf(service, product.state), note: outcome.message };
    case 'endOfFiles': {
      const reason = `ONC answered ${outcome.httpStatus}: no file at this index`;
      if (file.meta.index === 'meta' || run.fileCount) return { kind: 'absent', reason };
      // Now the run's file count is known: the list ended just before this index.
      const fileCount = Number(file.meta.index) - 1;
      const updateState = (state: DataProductState): DataProductState => ({
        ...state,
        runs: state.runs.map((saved, position) => (position === file.meta.run ? { ...saved, fileCount } : saved)),
      });
      return { kind: 'absent', reason, updateState };
    }
    case 'gone':
      return { kind: 'gone', reason: 'gone (410)' };
    case 'rejected':
      if (request.rangeStart !== undefined && outcome.httpStatus === 416) return { kind: 'rangeRefused' };
      if (file.meta.index === 'meta' && isMissingMetadataFile(outcome.errors)) {
        return { kind: 'absent', reason: `no metadata file: ${outcome.errors[0]?.errorMessage ?? ''}` };
      }
      return { kind: 'failed', error: describeOutcome(outcome) };
    case 'runFailed':
    case 'cancelled':
      return { kind: 'failed', error: describeOutcome(outcome) };
    case 'transient':
      throw transientFromOutcome(outcome);
    default: {
      const unreachable: never = outcome;
      throw new TransientFailure(`unhandled outcome ${JSON.stringify(unreachable)}`);
    }
  }
}
