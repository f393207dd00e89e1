import { z } from 'zod';
import { defaultPipelineConfig as defaults } from '../pipeline-config.js';

/** A positive integer setting with its default. */
export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * The core's part of the environment, shared by `pnpm api` and `pnpm worker`. Each source reads its own settings
 * (see `@onc-orders/sources`), the API its own. Apps pass `process.env` in; this module never reads it itself.
 */
export const environmentSchema = z.object({
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  DATABASE_PATH: z.string().min(1).default('./data/onc-orders.sqlite'),
  DOWNLOAD_DIR: z.string().min(1).default('./downloads'),
  ORDER_MAX_PRODUCTS: positiveInt(defaults.maxProductsPerOrder),
  QUEUE_PREFIX: z.string().min(1).default(defaults.queuePrefix),
  WORKER_DOWNLOAD_CONCURRENCY: positiveInt(defaults.downloadsPerProcess),
  WORKER_CONTROL_CONCURRENCY: positiveInt(defaults.controlJobsPerProcess),
  /** How long a SIGTERMed worker lets downloads finish before handing them back, in ms. */
  SHUTDOWN_DEADLINE_MS: positiveInt(20_000),
  RECONCILE_INTERVAL_MS: positiveInt(30_000),
  RETRY_BASE_MS: positiveInt(defaults.retryBaseMs),
  MAX_ATTEMPTS: positiveInt(defaults.maxAttempts),
  MAX_REORDERS: z.coerce.number().int().min(0).default(defaults.maxReorders),
  GONE_RETRIES: z.coerce.number().int().min(0).default(defaults.goneRetries),
  /** Test instrument: die at named steps (see failpoints.ts). */
  FAILPOINTS: z.string().default(''),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Environment = z.infer<typeof environmentSchema>;

/**
 * Reads the settings `schema` describes from the environment, naming every bad variable at once. Empty variables
 * count as unset. Used for the core's settings, each source's and the API's.
 */
export function parseSettings<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.output<S> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`invalid environment: ${problems}`);
  }
  return parsed.data;
}

/** The core's settings from the environment. */
export function parseEnvironment(env: Record<string, string | undefined>): Environment {
  return parseSettings(environmentSchema, env);
}
