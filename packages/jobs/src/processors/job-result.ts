/** What a processor tells the worker runtime to do with its job. */
export type JobResult =
  /** Done. */
  | undefined
  /** Done, with what the dashboard shows as the job's return value (a download's path, size and sha256). */
  | { value: unknown }
  /** Not yet: put this same job back in the delayed set for `waitMs`, holding no worker slot meanwhile. */
  | { waitMs: number }
  /** The product or file ended failed, for good (already recorded): a failed job, its reason on the dashboard. */
  | { failed: string };
