import type { OncFilters, RunStatus } from '@onc-orders/onc-client';

/** One of ONC's runs of a request, as last reported. Files are matched to runs by position, not by dpRunId. */
export interface SavedRun {
  dpRunId: number;
  status: RunStatus;
  /** Files the run produced; null or 0 while unknown (ONC sends 0 until the run completes, `status` none at all). */
  fileCount: number | null;
}

/**
 * What the ONC data-products source remembers of one product between steps. The core commits it before it acts on a
 * step's outcome, so every decision below is made again from it after a crash.
 */
export interface DataProductState {
  /** ONC's id for the request; once saved, `request` is never sent again for this product (until a re-order). */
  dpRequestId: number | null;
  /** Set (committed) just before `run` is called: a retry that finds it set recovers the runs through `status`. */
  runRequestedAt: number | null;
  /**
   * Set (committed) just before `request` is sent and cleared once its answer is saved. ONC has no idempotency key,
   * so a crash in between may leave a request on ONC's side whose id we never learnt: the next attempt records that.
   */
  requestSentAt: number | null;
  /** `request` calls sent for this product, duplicates after a crash included. */
  requestsSent: number;
  /** Requests that may have been made on ONC and lost with a crashed worker. */
  requestsLost: number;
  estimatedFileSizeBytes: number | null;
  estimatedProcessingSeconds: number | null;
  /** ONC's warnings and notes from `request`. */
  messages: string[];
  runs: SavedRun[];
}

/** One file of a product: which run (by position) and which index; `dpRunId` is the run it was fetched from. */
export interface DataProductFileMeta {
  run: number;
  /** "1".."n" or "meta". */
  index: string;
  dpRunId: number | null;
}

export type DataProductParams = OncFilters;

export const initialDataProductState: DataProductState = {
  dpRequestId: null,
  runRequestedAt: null,
  requestSentAt: null,
  requestsSent: 0,
  requestsLost: 0,
  estimatedFileSizeBytes: null,
  estimatedProcessingSeconds: null,
  messages: [],
  runs: [],
};

/** A file's reference, unique within its order: "product-3/run-1/file-2" or "product-3/run-1/meta". */
export function fileRef(ordinal: number, meta: Pick<DataProductFileMeta, 'run' | 'index'>): string {
  return `product-${ordinal}/run-${meta.run + 1}/${meta.index === 'meta' ? 'meta' : `file-${meta.index}`}`;
}
