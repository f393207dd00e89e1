import { filesOfProductIn } from '../db/repository.js';
import type { AppDatabase } from '../db/database.js';
import type { ProductRow } from '../db/schema.js';
import type { AnySource } from '../sources/source-port.js';
import { openFileStatuses } from '../state/file-status.js';
import { fileTitle, productTitle } from './job-titles.js';
import type { JobToEnqueue } from './pipeline-queues.js';

/**
 * The job(s) that move a product on from where it stands. Used when an order starts, when it restarts, and by the
 * reconciler that rebuilds lost queues from SQLite: the state in the database alone decides what work is missing.
 */
export async function jobsForProduct(db: AppDatabase, source: AnySource, product: ProductRow): Promise<JobToEnqueue[]> {
  const options = { title: productTitle(source, product), orderId: product.orderId, generation: product.generation };
  switch (product.status) {
    case 'pending':
    case 'preparing':
      return [
        {
          kind: 'prepare',
          payload: { productId: product.id, step: product.step },
          options: { ...options, newWork: product.status === 'pending' },
        },
      ];
    case 'downloading':
      return (await filesOfProductIn(db, product.id, openFileStatuses)).map((file) => ({
        kind: 'download' as const,
        payload: { fileId: file.id },
        options: { ...options, title: fileTitle(source, product, file), service: source.service.name },
      }));
    case 'complete':
    case 'nodata':
    case 'failed':
    case 'cancelled':
      return [];
    default: {
      const unreachable: never = product.status;
      throw new Error(`unknown product status ${String(unreachable)}`);
    }
  }
}
