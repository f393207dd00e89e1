import { z } from 'zod';
import { defaultPipelineConfig as defaults } from '../pipeline-config.js';
import { webhookUrlSchema } from '../webhooks/notify-spec.js';

/** A positive integer setting with its default. */
export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** A yes-or-no setting, `true` or `false`, with its default. */
export const booleanSetting = (fallback: boolean) =>
  z
    .enum(['true', 'false'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true');

/**
 * The core's part of the environment, shared by `pnpm api` and `pnpm worker`. Each source reads its own settings
 * (see `@onc-orders/sources`), the API its own. Apps pass `process.env` in; this module never reads it itself.
 */
export const environmentSchema = z.object({
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  DATABASE_PATH: z.string().min(1).default('./data/onc-orders.sqlite'),
  /**
   * A PostgreSQL database (`postgres://user:password@host:5432/name`) shared by every host of a fleet; when set, it
   * holds the state instead of the SQLite file at DATABASE_PATH. The message never repeats the value: it may hold a
   * password.
   */
  DATABASE_URL: z
    .string()
    .refine((value) => /^postgres(ql)?:\/\/[^\s]+$/.test(value), 'must be a postgres:// or postgresql:// URL')
    .optional(),
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
  /** Where orders that name no `notify` announce their end; needs WEBHOOK_SECRET. */
  WEBHOOK_URL: webhookUrlSchema.optional(),
  /** The key webhooks are signed with: `whsec_` and base64 (Standard Webhooks' form), or any other text, used raw. */
  WEBHOOK_SECRET: z
    .string()
    .min(1)
    .refine(
      (value) => !value.startsWith('whsec_') || /^whsec_[A-Za-z0-9+/]+={0,2}$/.test(value),
      'after whsec_ must come base64',
    )
    .optional(),
  /** Tries of one webhook delivery before it is given up. */
  WEBHOOK_MAX_ATTEMPTS: positiveInt(10),
  /** The first retry's wait, doubled each try (with jitter) up to WEBHOOK_RETRY_MAX_MS. */
  WEBHOOK_RETRY_BASE_MS: positiveInt(5_000),
  WEBHOOK_RETRY_MAX_MS: positiveInt(3_600_000),
  /** How long one try waits for the receiver's answer. */
  WEBHOOK_TIMEOUT_MS: positiveInt(10_000),
  /** How often each worker looks for deliveries that are due. */
  WEBHOOK_POLL_MS: positiveInt(1_000),
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
  const environment = parseSettings(environmentSchema, env);
  // Standard Webhooks are signed: an unsigned announcement would be one a receiver cannot trust.
  if (environment.WEBHOOK_URL && !environment.WEBHOOK_SECRET) {
    throw new Error('invalid environment: WEBHOOK_SECRET: must be set when WEBHOOK_URL is');
  }
  return environment;
}
