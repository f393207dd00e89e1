import type { PipelineQueues } from '../queues/pipeline-queues.js';

/**
 * Removes an order's jobs that wait or are delayed (polls and 202 back-offs sit in the delayed set). Jobs in flight
 * are not touched here: the cancel message aborts them in their own process.
 */
export async function removeQueuedJobsOfOrder(queues: PipelineQueues, orderId: string): Promise<number> {
  let removed = 0;
  for (const queue of queues.all()) {
    const pageSize = 1_000;
    for (let start = 0; ; start += pageSize) {
      const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized'], start, start + pageSize - 1);
      if (jobs.length === 0) break;
      for (const job of jobs) {
        if (job.data.orderId !== orderId || job.data.kind === 'cancelRemote') continue;
        // A job that became active meanwhile cannot be removed; the cancel message covers it.
        removed += await job.remove().then(
          () => 1,
          () => 0,
        );
      }
      if (jobs.length < pageSize) break;
    }
  }
  return removed;
}
