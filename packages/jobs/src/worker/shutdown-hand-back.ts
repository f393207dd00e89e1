import type { Worker } from 'bullmq';

/**
 * The jobs this process runs, by id, so a cancel message aborts an order's jobs here and a shutdown past its deadline
 * hands the rest back to the queue (another worker takes them at once, without waiting for a stalled check).
 */
export class ActiveJobs {
  readonly #active = new Map<string, { orderId: string; worker: Worker }>();
  readonly #handedBack = new Set<string>();

  start(jobId: string, orderId: string, worker: Worker): void {
    this.#active.set(jobId, { orderId, worker });
  }

  end(jobId: string): void {
    this.#active.delete(jobId);
    this.#handedBack.delete(jobId);
  }

  /** Whether the job was aborted to be handed back (not cancelled, not failed). */
  isHandedBack(jobId: string): boolean {
    return this.#handedBack.has(jobId);
  }

  cancelOrder(orderId: string): void {
    for (const [jobId, entry] of this.#active) {
      if (entry.orderId === orderId) entry.worker.cancelJob(jobId, 'order cancelled');
    }
  }

  handBackAll(): void {
    for (const [jobId, entry] of this.#active) {
      this.#handedBack.add(jobId);
      entry.worker.cancelJob(jobId, 'worker shutting down');
    }
  }
}

/** Closes the workers, waiting for jobs in flight up to `deadlineMs`, then handing back what still runs. */
export async function closeWithDeadline(
  workers: readonly Worker[],
  active: ActiveJobs,
  deadlineMs: number,
): Promise<void> {
  const closing = Promise.all(workers.map((worker) => worker.close()));
  const timer = new Promise<'deadline'>((resolve) => setTimeout(() => resolve('deadline'), deadlineMs).unref());
  if ((await Promise.race([closing, timer])) === 'deadline') {
    active.handBackAll();
    await closing;
  }
}
