/**
 * The registry of jobs: each kind, its payload, and the queue it runs on. The API (producer) and the workers
 * (consumers) share it, so a payload cannot drift between the two.
 */
export interface JobPayloads {
  /** Enqueue the request job of every product of a new or restarted order. */
  expand: { orderId: string };
  /** Ask ONC for a dpRequestId (never twice for one product). */
  request: { productId: number };
  /** Start ONC's processing with `run` (never twice), or recover the runs through `status` after a crash. */
  run: { productId: number };
  /** Check on ONC's processing with `status`; re-delays itself until every run is done. */
  poll: { productId: number };
  /** Fetch one file to disk, verified. */
  download: { fileId: number };
  /** Cancel a cancelled product's runs on ONC, so ONC stops working for nobody. */
  cancelRuns: { productId: number };
  /** Write manifest.json and settle the order's status once every product has ended. */
  finalize: { orderId: string };
}

export type JobKind = keyof JobPayloads;

export const QueueName = { control: 'control', downloads: 'downloads' } as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const queueOfKind: Record<JobKind, QueueName> = {
  expand: 'control',
  request: 'control',
  run: 'control',
  poll: 'control',
  download: 'downloads',
  finalize: 'control',
  cancelRuns: 'control',
};

/** What a job carries: its kind, its payload, and a title an operator can read on the dashboard. */
export type JobData<K extends JobKind = JobKind> = { kind: K; title: string; orderId: string } & JobPayloads[K];

export type AnyJobData = { [K in JobKind]: JobData<K> }[JobKind];
