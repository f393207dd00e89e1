/**
 * A product's life, whatever its source:
 * pending (nothing asked of the service yet) → preparing (its conversation with the service: ordering, waiting for
 * processing, listing) → downloading (its files are known and fetched, one job per file) → complete.
 * `nodata` (the service has nothing for it) is a successful end with no files.
 */
export const ProductStatus = {
  pending: 'pending',
  preparing: 'preparing',
  downloading: 'downloading',
  complete: 'complete',
  nodata: 'nodata',
  failed: 'failed',
  cancelled: 'cancelled',
} as const;
export type ProductStatus = (typeof ProductStatus)[keyof typeof ProductStatus];

const restartTargets: readonly ProductStatus[] = ['pending', 'preparing', 'downloading'];

export const productTransitions: Record<ProductStatus, readonly ProductStatus[]> = {
  pending: ['preparing', 'downloading', 'nodata', 'failed', 'cancelled'],
  // A product whose source writes its one file page by page (DataStream) completes straight from preparing.
  preparing: ['downloading', 'complete', 'nodata', 'failed', 'cancelled', 'pending'],
  downloading: ['complete', 'failed', 'cancelled', 'pending'],
  complete: [],
  nodata: [],
  failed: restartTargets,
  cancelled: restartTargets,
};

export const terminalProductStatuses: readonly ProductStatus[] = ['complete', 'nodata', 'failed', 'cancelled'];

/** States in which a product is still being worked on; only these may move to an end state. */
export const activeProductStatuses: readonly ProductStatus[] = ['pending', 'preparing', 'downloading'];
