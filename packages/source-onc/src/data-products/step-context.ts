import type { ProductSnapshot, StepContext } from '@onc-orders/jobs';
import type { OncService } from '../onc-service.js';
import { nextCheckDelayMs } from '../poll-delay.js';
import type { DataProductsSpec } from './data-products-spec.js';
import type { DataProductParams, DataProductState } from './data-products-state.js';

/** What each step of the data-product conversation works with. */
export interface DataProductStep {
  service: OncService;
  product: ProductSnapshot<DataProductsSpec, DataProductParams, DataProductState>;
  context: StepContext<DataProductState>;
}

/** When to look again at a product ONC is still processing: closing in on ONC's estimate (see nextCheckDelayMs). */
export function pollDelayOf(service: OncService, state: DataProductState): number {
  return nextCheckDelayMs({
    estimatedProcessingSeconds: state.estimatedProcessingSeconds,
    runAt: state.runRequestedAt,
    now: Date.now(),
    minMs: service.pollMinMs,
    maxMs: service.pollMaxMs,
  });
}
