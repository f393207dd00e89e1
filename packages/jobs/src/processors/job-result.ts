/** What a processor tells the worker runtime to do with its job. */
export type JobResult =
  /** Done. */
  | undefined
  /**
   * Done, with what the dashboard shows as the job's return value (a download's path, size and sha256). `finish`,
   * when given, is what is left to do once the job has given up its queue slot (a download's fsync, rename and
   * bookkeeping): the runtime runs it after the job, holding the job's lease, or at once if it cannot.
   */
  | { value: unknown; finish?: () => Promise<void> }
  /** Not yet: put this same job back in the delayed set for `waitMs`, holding no worker slot meanwhile. */
  | { waitMs: number }
  /** The product or file ended failed, for good (already recorded): a failed job, its reason on the dashboard. */
  | { failed: string };
