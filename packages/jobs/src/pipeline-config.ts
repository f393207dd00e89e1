/**
 * Everything the pipeline needs to know about its surroundings. Apps build it from the environment (only they read
 * `process.env`); libraries and tests pass it in.
 */
export interface PipelineConfig {
  /** Root folder for downloads: each order's files land in `<downloadDir>/<orderId>/`. */
  downloadDir: string;
  /** Redis key prefix for every queue and lock (BullMQ's `prefix`). Default "onc-orders". */
  queuePrefix: string;
  /** Products one order may expand to; more is refused with a clear error. Default 10,000. */
  maxProductsPerOrder: number;
  /** Concurrent downloads across all worker processes together. Default 3 (ONC's advice). */
  maxConcurrentDownloads: number;
  /** ONC calls per second across all worker processes together. Default 5. */
  maxOncCallsPerSecond: number;
  /** Bounds on the delay between two checks of a product ONC is still processing, in ms. Default 1,000–30,000. */
  pollMinMs: number;
  pollMaxMs: number;
  /** Attempts of a job before a transient ONC failure becomes final. Default 8. */
  maxAttempts: number;
  /** Base of the exponential retry backoff, in ms (full jitter). Default 1,000. */
  retryBaseMs: number;
  /** Times a 410 for a file not yet on disk is retried before the product is re-ordered. Default 3. */
  goneRetries: number;
  /** Automatic re-orders of one product after its files were lost (deleteFile). Default 2. */
  maxReorders: number;
  /** Download jobs one worker process runs at once (the fleet-wide cap still applies). Default 8. */
  downloadsPerProcess: number;
  /** Control jobs (request, run, status, finalize) one worker process runs at once. Default 16. */
  controlJobsPerProcess: number;
}

export const defaultPipelineConfig: Omit<PipelineConfig, 'downloadDir'> = {
  queuePrefix: 'onc-orders',
  maxProductsPerOrder: 10_000,
  maxConcurrentDownloads: 3,
  maxOncCallsPerSecond: 5,
  pollMinMs: 1_000,
  pollMaxMs: 30_000,
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
