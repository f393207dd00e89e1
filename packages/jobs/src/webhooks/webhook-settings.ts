import type { Environment } from '../runtime/environment.js';

/** How a worker sends webhooks; see the WEBHOOK_* settings. */
export interface WebhookSenderSettings {
  secret: string;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  timeoutMs: number;
  pollIntervalMs: number;
}

/** The sender's settings, or undefined when WEBHOOK_SECRET is unset: this worker then sends nothing. */
export function webhookSenderSettings(environment: Environment): WebhookSenderSettings | undefined {
  if (!environment.WEBHOOK_SECRET) return undefined;
  return {
    secret: environment.WEBHOOK_SECRET,
    maxAttempts: environment.WEBHOOK_MAX_ATTEMPTS,
    retryBaseMs: environment.WEBHOOK_RETRY_BASE_MS,
    retryMaxMs: environment.WEBHOOK_RETRY_MAX_MS,
    timeoutMs: environment.WEBHOOK_TIMEOUT_MS,
    pollIntervalMs: environment.WEBHOOK_POLL_MS,
  };
}
