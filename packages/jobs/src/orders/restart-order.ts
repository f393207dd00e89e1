import { and, eq, inArray } from 'drizzle-orm';
import type { AppDatabase } from '../db/database.js';
import { filesOfProduct, findOrder, productsOfOrder, runsOfProduct } from '../db/repository.js';
import { removeTemporaryFiles } from '../download/temporary-files.js';
import { files, type ProductRow } from '../db/schema.js';
import { enqueue } from '../queues/pipeline-queues.js';
import type { ProductStatus } from '../state/product-status.js';
import { recordEvent, transitionFile, transitionOrder, transitionProduct } from '../state/transition.js';
import type { OrderControlDependencies } from './cancel-order.js';

export type RestartResult = 'restarted' | 'not-restartable' | 'not-found';

/**
 * Where a failed or cancelled product picks up again. Only what is missing is done again: a product whose runs were
 * complete downloads its missing files; one whose runs ONC cancelled goes back to `run`, where ONC's `restart` brings
 * them back; one whose run failed, or that never got a dpRequestId, is ordered afresh.
 */
function resumeStatusOf(db: AppDatabase, product: ProductRow): { to: ProductStatus; reorder: boolean } {
  if (product.dpRequestId === null) return { to: 'pending', reorder: false };
  const productRuns = runsOfProduct(db, product.id);
  if (productRuns.length === 0) return { to: 'requested', reorder: false };
  if (productRuns.some((run) => run.status === 'error')) return { to: 'pending', reorder: true };
  if (productRuns.every((run) => run.status === 'complete')) {
    // Files exist once downloading began; a product cancelled just as ONC finished has none yet, and its next
    // `status` check creates them.
    const hasFiles = db.select({ id: files.id }).from(files).where(eq(files.productId, product.id)).limit(1).get();
    return { to: hasFiles ? 'downloading' : 'running', reorder: false };
  }
  return { to: 'requested', reorder: false };
}

/**
 * Resumes a cancelled or failed order, optionally changing its deleteFile setting. Complete files stay; the order gets
 * a new generation so its jobs get new ids, then the expand job queues each product from where it stands.
 */
export async function restartOrder(
  deps: OrderControlDependencies,
  orderId: string,
  options: { deleteFile?: boolean; reason?: string } = {},
): Promise<RestartResult> {
  const order = findOrder(deps.db, orderId);
  if (!order) return 'not-found';
  if (order.status !== 'cancelled' && order.status !== 'failed') return 'not-restartable';
  const reason = options.reason ?? 'restarted by request';
  const generation = order.generation + 1;

  const reordered = deps.db.transaction(
    (tx) => {
      const reorderedFiles: number[] = [];
      const database = tx as unknown as AppDatabase;
      transitionOrder(database, orderId, 'queued', {
        reason,
        patch: {
          generation,
          finishedAt: null,
          errorMessage: null,
          ...(options.deleteFile !== undefined ? { deleteFile: options.deleteFile } : {}),
        },
      });
      recordEvent(
        database,
        orderId,
        'order',
        orderId,
        'restart',
        options.deleteFile !== undefined ? `${reason} (deleteFile ${options.deleteFile})` : reason,
      );
      for (const product of productsOfOrder(database, orderId)) {
        if (product.status !== 'failed' && product.status !== 'cancelled') continue;
        const { to, reorder } = resumeStatusOf(database, product);
        const stale = tx
          .select({ id: files.id })
          .from(files)
          .where(and(eq(files.productId, product.id), inArray(files.status, ['failed', 'cancelled', 'downloading'])))
          .all();
        for (const file of stale) {
          transitionFile(database, file.id, 'pending', {
            reason,
            patch: { goneCount: 0, attempts: 0, lastError: null },
          });
        }
        transitionProduct(database, product.id, to, {
          reason: reorder ? `${reason}: its run failed, so it is ordered again` : reason,
          patch: {
            generation: product.generation + 1,
            errorCode: null,
            errorParameter: null,
            errorMessage: null,
            ...(reorder ? { dpRequestId: null, runRequestedAt: null } : {}),
          },
        });
        if (reorder) {
          recordEvent(database, orderId, 'product', product.id, 'reorder', `${reason}: run had failed`);
          reorderedFiles.push(
            ...filesOfProduct(database, product.id)
              .filter((f) => f.status !== 'complete')
              .map((f) => f.id),
          );
        }
      }
      return reorderedFiles;
    },
    { behavior: 'immediate' },
  );
  // Partial copies of a re-ordered product came from runs that will not be asked again.
  await removeTemporaryFiles(deps.downloadDir, orderId, reordered);
  await enqueue(
    deps.queues,
    'expand',
    { orderId },
    { title: `order ${order.label ?? orderId} (restart)`, orderId, generation },
  );
  return 'restarted';
}
