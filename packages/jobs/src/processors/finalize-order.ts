import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findOrder, productsOfOrder } from '../db/repository.js';
import type { OrderRow, ProductRow } from '../db/schema.js';
import { safeFileName } from '../download/safe-file-name.js';
import { syncFile } from '../download/sync-file.js';
import { writeManifest } from '../orders/manifest.js';
import type { PipelineContext } from '../pipeline-context.js';
import { terminalProductStatuses } from '../state/product-status.js';
import { transitionOrder } from '../state/transition.js';

/** The files the order's source adds to its folder at the end (see `finishOrder`), each written atomically. */
async function writeSourceFiles(
  ctx: PipelineContext,
  order: OrderRow,
  orderProducts: readonly ProductRow[],
  signal: AbortSignal | undefined,
): Promise<void> {
  const source = ctx.sources.has(order.source) ? ctx.sources.get(order.source) : undefined;
  if (!source?.finishOrder) return;
  const extra = await source.finishOrder(
    {
      id: order.id,
      spec: JSON.parse(order.spec) as unknown,
      products: orderProducts.map((product) => ({
        ordinal: product.ordinal,
        params: JSON.parse(product.params) as unknown,
        state: JSON.parse(product.state) as unknown,
        status: product.status,
      })),
    },
    { signal, logger: ctx.logger },
  );
  for (const file of extra) {
    const name = safeFileName(file.name, 'source-file.json');
    const path = join(ctx.config.downloadDir, order.id, name);
    const temporary = join(ctx.config.downloadDir, order.id, `.${name}.part`);
    await writeFile(temporary, file.content);
    await syncFile(temporary);
    await rename(temporary, path);
  }
}

/**
 * Ends an order once every product has ended: writes manifest.json, then sets `completed` (every product complete or
 * nodata) or `failed` (some product failed for good; the others kept their files).
 */
export async function finalizeOrder(ctx: PipelineContext, orderId: string, signal?: AbortSignal): Promise<void> {
  const order = await findOrder(ctx.db, orderId);
  if (!order || order.status !== 'running') return;
  const orderProducts = await productsOfOrder(ctx.db, orderId);
  if (orderProducts.some((product) => !terminalProductStatuses.includes(product.status))) return;
  const failed = orderProducts.filter((product) => product.status === 'failed' || product.status === 'cancelled');
  const status = failed.length > 0 ? 'failed' : 'completed';
  await mkdir(join(ctx.config.downloadDir, orderId), { recursive: true });
  await writeSourceFiles(ctx, order, orderProducts, signal);
  await writeManifest(ctx.db, ctx.sources, ctx.config.downloadDir, orderId, status);
  ctx.logger.info(
    { orderId, status, products: orderProducts.length, failed: failed.length, label: order.label },
    `order ${status}`,
  );
  const failure = failed.length > 0 ? `${failed.length} of ${orderProducts.length} product(s) failed` : undefined;
  await transitionOrder(ctx.db, orderId, status, {
    reason: failure ?? 'every product is complete',
    onlyFrom: ['running'],
    patch: { finishedAt: Date.now(), errorMessage: failure ?? null },
  });
}
