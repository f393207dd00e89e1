import { findProductWithOrder } from '../db/repository.js';
import type { PipelineContext } from '../pipeline-context.js';
import { productSnapshot } from '../sources/snapshots.js';
import { recordEvent } from '../state/transition.js';

/** Asks the service to stop what it still does for a product the user cancelled (ONC: cancel its runs). */
export async function cancelRemote(ctx: PipelineContext, productId: number, signal?: AbortSignal): Promise<void> {
  const found = await findProductWithOrder(ctx.db, productId);
  if (!found || found.product.status !== 'cancelled') return;
  const { product, order } = found;
  const source = ctx.sources.get(product.source);
  const snapshot = productSnapshot(order, product);
  if (!source.cancelRemote || !source.hasRemoteWork(snapshot.state)) return;
  const said = await source.cancelRemote(snapshot, signal);
  await recordEvent(ctx.db, product.orderId, 'product', productId, 'remote-cancel', said);
}
