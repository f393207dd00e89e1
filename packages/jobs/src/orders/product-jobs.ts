import { and, asc, eq } from 'drizzle-orm';
import type { AppDatabase } from '../db/database.js';
import { filesOfProduct } from '../db/repository.js';
import { tablesOf } from '../db/tables.js';
import { jobIdFor, type PipelineQueues } from '../queues/pipeline-queues.js';
import type { JobKind } from '../queues/job-kinds.js';
import type { SourceRegistry } from '../sources/source-registry.js';

export interface ProductJob {
  queue: string;
  jobId: string;
  kind: JobKind;
  /** BullMQ's state of the job: waiting, delayed, active, completed, failed, prioritized... */
  state: string;
}

/**
 * The jobs of one product still held by the queues, for an operator to open on the dashboard: its conversation's
 * steps and its files' downloads in its current generation. Job ids are derived as the pipeline derives them, so no
 * queue is scanned; jobs the queues have already let go of (see removeOnComplete) are not listed. Undefined when the
 * order has no product of that ordinal.
 */
export async function getProductJobs(
  db: AppDatabase,
  queues: PipelineQueues,
  sources: SourceRegistry,
  orderId: string,
  ordinal: number,
): Promise<ProductJob[] | undefined> {
  const { products } = tablesOf(db);
  const [product] = await db
    .select()
    .from(products)
    .where(and(eq(products.orderId, orderId), eq(products.ordinal, ordinal)))
    .orderBy(asc(products.id))
    .limit(1);
  if (!product) return undefined;
  const candidates: Array<{ kind: JobKind; jobId: string; queue: PipelineQueues['control'] | undefined }> = [];
  for (let step = 0; step <= product.step; step += 1)
    candidates.push({
      kind: 'prepare',
      jobId: jobIdFor('prepare', { productId: product.id, step }, product.generation),
      queue: queues.control,
    });
  candidates.push({
    kind: 'cancelRemote',
    jobId: jobIdFor('cancelRemote', { productId: product.id }, product.generation),
    queue: queues.control,
  });
  const service = sources.has(product.source) ? sources.get(product.source).service.name : undefined;
  const downloads = service !== undefined ? queues.downloads.get(service) : undefined;
  for (const file of await filesOfProduct(db, product.id))
    candidates.push({
      kind: 'download',
      jobId: jobIdFor('download', { fileId: file.id }, product.generation),
      queue: downloads,
    });
  const found = await Promise.all(
    candidates.map(async (candidate) => {
      if (!candidate.queue) return undefined;
      const state = await candidate.queue.getJobState(candidate.jobId);
      return state === 'unknown'
        ? undefined
        : { queue: candidate.queue.name, jobId: candidate.jobId, kind: candidate.kind, state };
    }),
  );
  return found.filter((job) => job !== undefined);
}
