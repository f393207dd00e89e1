import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { findOrder, productsOfOrder } from '../db/repository.js';
import { writeManifest } from '../orders/manifest.js';
import type { PipelineContext } from '../pipeline-context.js';
import { terminalProductStatuses } from '../state/product-status.js';
import { transitionOrder } from '../state/transition.js';

/**
 * Ends an order once every product has ended: writes manifest.json, then sets `completed` (every product complete or
 * nodata) or `failed` (some product failed for good; the others kept their files).
 */
export async function finalizeOrder(ctx: PipelineContext, orderId: string): Promise<void> {
  const order = findOrder(ctx.db, orderId);
  if (!order || order.status !== 'running') return;
  const orderProducts = productsOfOrder(ctx.db, orderId);
  if (orderProducts.some((product) => !terminalProductStatuses.includes(product.status))) return;
  const failed = orderProducts.filter((product) => product.status === 'failed' || product.status === 'cancelled');
  const status = failed.length > 0 ? 'failed' : 'completed';
  await mkdir(join(ctx.config.downloadDir, orderId), { recursive: true });
  await writeManifest(ctx.db, ctx.sources, ctx.config.downloadDir, orderId, status);
  ctx.logger.info(
    { orderId, status, products: orderProducts.length, failed: failed.length, label: order.label },
    `order ${status}`,
  );
  const failure = failed.length > 0 ? `${failed.length} of ${orderProducts.length} product(s) failed` : undefined;
  transitionOrder(ctx.db, orderId, status, {
    reason: failure ?? 'every product is complete',
    onlyFrom: ['running'],
    patch: { finishedAt: Date.now(), errorMessage: failure ?? null },
  });
}
