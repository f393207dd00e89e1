import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { backoffDelayMs } from '@onc-orders/http-retry';
import { eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { databaseNowMs } from '../db/database-clock.js';
import type { AppDatabase } from '../db/database.js';
import type { WebhookDeliveryRow } from '../db/schema.js';
import { tablesOf } from '../db/tables.js';
import { inWriteTransaction } from '../db/write-transaction.js';
import { recordEvent } from '../state/transition.js';
import { claimDueDeliveries, holdsDeliveryLease } from './delivery-leases.js';
import { sendWebhook, type WebhookTry } from './send-webhook.js';
import type { WebhookSenderSettings } from './webhook-settings.js';
import { webhookSigner, type WebhookSigner } from './webhook-signer.js';

/** Deliveries one worker sends at once. */
const batchSize = 8;

/**
 * The wait before the next try: exponential with jitter, never below half its ceiling, so the tries spread out over
 * the receiver's outage instead of spending themselves in its first seconds; never sooner than its Retry-After.
 */
export function nextTryDelayMs(triesMade: number, settings: WebhookSenderSettings, retryAfterMs?: number): number {
  const options = { baseMs: settings.retryBaseMs, maxMs: settings.retryMaxMs };
  const ceiling = Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** Math.min(triesMade - 1, 40));
  const jittered = Math.floor(ceiling / 2 + backoffDelayMs(triesMade - 1, options) / 2);
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, settings.retryMaxMs));
}

function describeTry(outcome: WebhookTry): string {
  return outcome.kind === 'answered' ? `HTTP ${outcome.status}` : outcome.reason;
}

/** Records one try: the delivery's new state and a line in the order's history, in one transaction. */
async function recordTry(
  db: AppDatabase,
  delivery: WebhookDeliveryRow,
  owner: string,
  outcome: WebhookTry,
  settings: WebhookSenderSettings,
): Promise<string | undefined> {
  const { webhookDeliveries } = tablesOf(db);
  return inWriteTransaction(db, async (tx) => {
    if (!(await holdsDeliveryLease(tx, delivery.id, owner))) return undefined;
    const tries = delivery.attempts + 1;
    const now = Date.now();
    const delivered = outcome.kind === 'answered' && outcome.status >= 200 && outcome.status < 300;
    const exhausted = !delivered && tries >= settings.maxAttempts;
    const delayMs = delivered || exhausted ? 0 : nextTryDelayMs(tries, settings, tryRetryAfter(outcome));
    await tx
      .update(webhookDeliveries)
      .set({
        status: delivered ? 'delivered' : exhausted ? 'failed' : 'pending',
        attempts: tries,
        lastStatus: outcome.kind === 'answered' ? outcome.status : null,
        lastError: delivered ? null : describeTry(outcome),
        // Due on the database's clock, which the claims compare with (delivery-leases.ts).
        nextAttemptAt: sql`${databaseNowMs(tx)} + ${delayMs}`,
        deliveredAt: delivered ? now : null,
        leaseOwner: null,
        leaseUntil: null,
        updatedAt: now,
      })
      .where(eq(webhookDeliveries.id, delivery.id));
    const what = `${delivery.eventType} delivery ${delivery.webhookId}, try ${tries} of ${settings.maxAttempts}`;
    const reason = delivered
      ? `${what}: delivered (${describeTry(outcome)})`
      : exhausted
        ? `${what}: ${describeTry(outcome)}; given up`
        : `${what}: ${describeTry(outcome)}; next try at ${new Date(now + delayMs).toISOString()}`;
    await recordEvent(tx, delivery.orderId, 'order', delivery.orderId, 'webhook', reason);
    return reason;
  });
}

function tryRetryAfter(outcome: WebhookTry): number | undefined {
  return outcome.kind === 'answered' && (outcome.status === 429 || outcome.status === 503)
    ? outcome.retryAfterMs
    : undefined;
}

async function deliverOnce(
  db: AppDatabase,
  delivery: WebhookDeliveryRow,
  owner: string,
  sign: WebhookSigner,
  settings: WebhookSenderSettings,
  logger: Logger,
): Promise<void> {
  // Each try is signed anew with its own timestamp; the id and the body stay those of the delivery.
  const headers = sign(delivery.webhookId, new Date(), delivery.payload);
  const outcome = await sendWebhook(delivery.url, delivery.payload, headers, settings.timeoutMs);
  const reason = await recordTry(db, delivery, owner, outcome, settings);
  if (reason) logger.info({ orderId: delivery.orderId, webhookId: delivery.webhookId }, reason);
}

/** Sends every delivery that is due now, batch after batch; returns how many tries were made. */
export async function sendDueWebhooks(
  db: AppDatabase,
  settings: WebhookSenderSettings,
  logger: Logger,
  owner = `${hostname()}:${process.pid}:${randomUUID()}`,
): Promise<number> {
  const sign = webhookSigner(settings.secret);
  // A try's lease outlasts its timeout, so it is never taken over while it may still be answered.
  const leaseMs = settings.timeoutMs + 5_000;
  let tries = 0;
  for (;;) {
    const due = await claimDueDeliveries(db, owner, leaseMs, batchSize);
    if (due.length === 0) return tries;
    await Promise.all(due.map((delivery) => deliverOnce(db, delivery, owner, sign, settings, logger)));
    tries += due.length;
  }
}

/**
 * Runs the webhook sender in this worker: every WEBHOOK_POLL_MS it sends what is due. Every worker runs one; the
 * leases share the work out. Failures are logged, never thrown; stop() waits for the pass in flight.
 */
export function startWebhookSender(
  db: AppDatabase,
  settings: WebhookSenderSettings,
  logger: Logger,
): { stop: () => Promise<void> } {
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> = Promise.resolve();
  const tick = () => {
    pass = sendDueWebhooks(db, settings, logger, owner)
      .then(
        () => undefined,
        (error: unknown) => logger.warn({ err: error }, 'sending webhooks failed; will try again'),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, settings.pollIntervalMs);
      });
  };
  tick();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await pass;
    },
  };
}
