import { z } from 'zod';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * The environment contract shared by `pnpm api` and `pnpm worker`. Apps pass `process.env` in; this module never
 * reads it itself.
 */
export const environmentSchema = z.object({
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** Site root of ONC's API; the client appends /api/dataProductDelivery. Point it at onc-sim to simulate. */
  ONC_BASE_URL: z.string().url().default('https://data.oceannetworks.ca'),
  ONC_TOKEN: z.string().optional(),
  /** "path" (current official client) or "method" (the documented ?method= form). */
  ONC_URL_STYLE: z.enum(['path', 'method']).default('path'),
  DATABASE_PATH: z.string().min(1).default('./data/onc-orders.sqlite'),
  DOWNLOAD_DIR: z.string().min(1).default('./downloads'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** Comma-separated bearer keys; when set, every route but /healthz needs one. */
  API_KEYS: z.string().optional(),
  ONC_MAX_DOWNLOADS: positiveInt(3),
  ONC_MAX_RPS: z.coerce.number().positive().default(5),
  ORDER_MAX_PRODUCTS: positiveInt(10_000),
  QUEUE_PREFIX: z.string().min(1).default('onc-orders'),
  WORKER_DOWNLOAD_CONCURRENCY: positiveInt(8),
  WORKER_CONTROL_CONCURRENCY: positiveInt(16),
  /** How long a SIGTERMed worker lets downloads finish before handing them back, in ms. */
  SHUTDOWN_DEADLINE_MS: positiveInt(20_000),
  RECONCILE_INTERVAL_MS: positiveInt(30_000),
  POLL_MIN_MS: positiveInt(1_000),
  POLL_MAX_MS: positiveInt(30_000),
  RETRY_BASE_MS: positiveInt(1_000),
  MAX_ATTEMPTS: positiveInt(8),
  MAX_REORDERS: z.coerce.number().int().min(0).default(2),
  GONE_RETRIES: z.coerce.number().int().min(0).default(3),
  /** Test instrument: die at named steps (see failpoints.ts). */
  FAILPOINTS: z.string().default(''),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Environment = z.infer<typeof environmentSchema>;

/** Reads the environment, naming every bad variable at once. */
export function parseEnvironment(env: Record<string, string | undefined>): Environment {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`invalid environment: ${problems}`);
  }
  return parsed.data;
}

export function apiKeysOf(environment: Environment): string[] {
  return (environment.API_KEYS ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
}
