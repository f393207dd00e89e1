/**
 * The registry of jobs: each kind and its payload. The API (producer) and the workers (consumers) share it, so a
 * payload cannot drift between the two. No kind names a service: what a step asks of its service is the source's.
 */
export interface JobPayloads {
  /** Queue the next job of every product of a new or restarted order. */
  expand: { orderId: string };
  /**
   * One step of a product's conversation with its source's service (ONC: `request`, `run`, then `status` until
   * processing ends). `step` counts the product's steps, so each step's job has an id of its own; a step that must
   * wait re-delays its own job.
   */
  prepare: { productId: number; step: number };
  /** Fetch one file to disk, verified. */
  download: { fileId: number };
  /** Ask the service to stop its work for a cancelled product, so it does not work for nobody. */
  cancelRemote: { productId: number };
  /** Write manifest.json and settle the order's status once every product has ended. */
  finalize: { orderId: string };
}

export type JobKind = keyof JobPayloads;

/** What a job carries: its kind, its payload, and a title an operator can read on the dashboard. */
export type JobData<K extends JobKind = JobKind> = { kind: K; title: string; orderId: string } & JobPayloads[K];

export type AnyJobData = { [K in JobKind]: JobData<K> }[JobKind];
