import { filesOfProductIn, findOrder, hasFiles, productsOfOrderIn } from '../db/repository.js';
import type { ProductRow } from '../db/schema.js';
import { inWriteTransaction } from '../db/write-transaction.js';
import type { AppDatabase } from '../db/database.js';
import { removeTemporaryFiles } from '../download/temporary-files.js';
import { resetForReorder } from '../progress/reorder-product.js';
import { enqueue } from '../queues/pipeline-queues.js';
import type { AnySource } from '../sources/source-port.js';
import { recordEvent, transitionFile, transitionOrder, transitionProduct } from '../state/transition.js';
import type { OrderControlDependencies } from './cancel-order.js';
import { OrderSpecError } from './order-spec-error.js';

export type RestartResult = 'restarted' | 'not-restartable' | 'not-found';

const clearedError = { errorCode: null, errorParameter: null, errorMessage: null };

/**
 * Puts one failed or cancelled product back where its source says it resumes: only what is missing is done again.
 * Returns the ids of files whose partial copies can no longer be trusted (the product is ordered again).
 */
async function resumeProduct(
  db: AppDatabase,
  source: AnySource,
  product: ProductRow,
  reason: string,
): Promise<number[]> {
  const plan = source.resume(JSON.parse(product.state) as unknown, await hasFiles(db, product.id));
  if (plan.from === 'reorder') {
    return resetForReorder(db, source, product, {
      reason: `${reason}: it is ordered again`,
      counted: false,
      onlyFrom: ['failed', 'cancelled'],
      extraPatch: clearedError,
    });
  }
  // From the start, a file the source writes itself (its copy was dropped with the cancel) is begun again.
  const fromScratch = plan.from === 'start' ? { bytesDownloaded: 0, rows: null } : {};
  for (const file of await filesOfProductIn(db, product.id, ['failed', 'cancelled', 'downloading'])) {
    await transitionFile(db, file.id, 'pending', {
      reason,
      patch: { goneCount: 0, attempts: 0, lastError: null, ...fromScratch },
    });
  }
  const to = plan.from === 'download' ? 'downloading' : plan.from === 'start' ? 'pending' : 'preparing';
  await transitionProduct(db, product.id, to, {
    reason,
    patch: { ...clearedError, state: JSON.stringify(plan.state), generation: product.generation + 1 },
  });
  return [];
}

/**
 * Resumes a cancelled or failed order, optionally changing settings its source allows (ONC: deleteFile). Complete
 * files stay; the order gets a new generation so its jobs get new ids, then the expand job queues each product from
 * where it stands.
 */
export async function restartOrder(
  deps: OrderControlDependencies,
  orderId: string,
  options: { changes?: Record<string, unknown>; reason?: string } = {},
): Promise<RestartResult> {
  const order = await findOrder(deps.db, orderId);
  if (!order) return 'not-found';
  if (order.status !== 'cancelled' && order.status !== 'failed') return 'not-restartable';
  const source = deps.sources.get(order.source);
  const reason = options.reason ?? 'restarted by request';
  const generation = order.generation + 1;
  const changes = options.changes && Object.keys(options.changes).length > 0 ? options.changes : undefined;
  if (changes && !source.applyRestartOptions) {
    throw new OrderSpecError(
      Object.keys(changes).map((field) => ({
        field,
        message: `cannot be changed when a ${source.name} order restarts`,
      })),
    );
  }
  const spec = changes
    ? JSON.stringify(source.applyRestartOptions?.(JSON.parse(order.spec) as unknown, changes))
    : order.spec;

  const untrusted = await inWriteTransaction(deps.db, async (tx) => {
    await transitionOrder(tx, orderId, 'queued', {
      reason,
      patch: { generation, finishedAt: null, errorMessage: null, spec },
    });
    await recordEvent(
      tx,
      orderId,
      'order',
      orderId,
      'restart',
      changes ? `${reason} (${JSON.stringify(changes)})` : reason,
    );
    const untrustedFiles: number[] = [];
    for (const product of await productsOfOrderIn(tx, orderId, ['failed', 'cancelled'])) {
      untrustedFiles.push(...(await resumeProduct(tx, source, product, reason)));
    }
    return untrustedFiles;
  });
  await removeTemporaryFiles(deps.downloadDir, orderId, untrusted);
  await enqueue(
    deps.queues,
    'expand',
    { orderId },
    { title: `order ${order.label ?? orderId} (restart)`, orderId, generation },
  );
  return 'restarted';
}
