/**
 * A data product's conversation with ONC:
 * pending (needs `request`) → requested (has dpRequestId, needs `run`) → running (ONC is processing; polled with
 * `status`) → downloading (every run complete; one download job per file) → complete.
 * `nodata` (ONC's errorCode 33) is a successful end with no files.
 */
export const ProductStatus = {
  pending: 'pending',
  requested: 'requested',
  running: 'running',
  downloading: 'downloading',
  complete: 'complete',
  nodata: 'nodata',
  failed: 'failed',
  cancelled: 'cancelled',
} as const;
export type ProductStatus = (typeof ProductStatus)[keyof typeof ProductStatus];

const restartTargets: readonly ProductStatus[] = ['pending', 'requested', 'running', 'downloading'];

export const productTransitions: Record<ProductStatus, readonly ProductStatus[]> = {
  pending: ['requested', 'nodata', 'failed', 'cancelled'],
  requested: ['running', 'downloading', 'failed', 'cancelled', 'pending'],
  running: ['downloading', 'failed', 'cancelled', 'pending'],
  downloading: ['complete', 'failed', 'cancelled', 'pending'],
  complete: [],
  nodata: [],
  failed: restartTargets,
  cancelled: restartTargets,
};

export const terminalProductStatuses: readonly ProductStatus[] = ['complete', 'nodata', 'failed', 'cancelled'];
export const successfulProductStatuses: readonly ProductStatus[] = ['complete', 'nodata'];

/** States in which a product is still being worked on; only these may move to an end state. */
export const activeProductStatuses: readonly ProductStatus[] = ['pending', 'requested', 'running', 'downloading'];
