/**
 * What the core needs to know about its surroundings, whatever the sources. Apps build it from the environment (only
 * they read `process.env`); libraries and tests pass it in. Each source has settings of its own (see `sources/`).
 */
export interface PipelineConfig {
  /** Root folder for downloads: each order's files land in `<downloadDir>/<orderId>/`. */
  downloadDir: string;
  /** Redis key prefix for every queue and lock (BullMQ's `prefix`). Default "onc-orders". */
  queuePrefix: string;
  /** Products one order may expand to; more is refused with a clear error. Default 10,000. */
  maxProductsPerOrder: number;
  /** Attempts of a job before a transient failure becomes final. Default 8. */
  maxAttempts: number;
  /** Base of the exponential retry backoff, in ms (full jitter). Default 1,000. */
  retryBaseMs: number;
  /** Times a file that is gone from its service is asked for again before the source's rule applies. Default 3. */
  goneRetries: number;
  /** Automatic re-orders of one product after its files were lost on the service. Default 2. */
  maxReorders: number;
  /** Download jobs one worker process runs at once (each service's fleet-wide cap still applies). Default 8. */
  downloadsPerProcess: number;
  /** Control jobs (the sources' steps, bookkeeping) one worker process runs at once. Default 16. */
  controlJobsPerProcess: number;
}

export const defaultPipelineConfig: Omit<PipelineConfig, 'downloadDir'> = {
  queuePrefix: 'onc-orders',
  maxProductsPerOrder: 10_000,
  maxAttempts: 8,
  retryBaseMs: 1_000,
  goneRetries: 3,
  maxReorders: 2,
  downloadsPerProcess: 8,
  controlJobsPerProcess: 16,
};

export function pipelineConfig(overrides: Partial<PipelineConfig> & { downloadDir: string }): PipelineConfig {
  return { ...defaultPipelineConfig, ...overrides };
}
