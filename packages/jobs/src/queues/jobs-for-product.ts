import { filesOfProduct } from '../db/repository.js';
import type { AppDatabase } from '../db/database.js';
import type { ProductRow } from '../db/schema.js';
import type { ProductStatus } from '../state/product-status.js';
import { fileTitle, productTitle } from './job-titles.js';
import type { JobToEnqueue } from './pipeline-queues.js';

/**
 * The job(s) that move a product on from where it stands. Used when an order starts, when it restarts, and by the
 * reconciler that rebuilds lost queues from SQLite: the state in the database alone decides what work is missing.
 */
export function jobsForProduct(db: AppDatabase, product: ProductRow): JobToEnqueue[] {
  const options = { title: productTitle(product), orderId: product.orderId, generation: product.generation };
  const status = product.status as ProductStatus;
  switch (status) {
    case 'pending':
      return [{ kind: 'request', payload: { productId: product.id }, options }];
    case 'requested':
      return [{ kind: 'run', payload: { productId: product.id }, options }];
    case 'running':
      return [{ kind: 'poll', payload: { productId: product.id }, options }];
    case 'downloading':
      return filesOfProduct(db, product.id)
        .filter((file) => file.status === 'pending' || file.status === 'downloading')
        .map((file) => ({
          kind: 'download' as const,
          payload: { fileId: file.id },
          options: { ...options, title: fileTitle(product, file) },
        }));
    case 'complete':
    case 'nodata':
    case 'failed':
    case 'cancelled':
      return [];
    default: {
      const unreachable: never = status;
      throw new Error(`unknown product status ${String(unreachable)}`);
    }
  }
}
