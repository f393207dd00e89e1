import type { ServiceError } from '@onc-orders/jobs';
import type { DiscoveryMethod, DiscoveryRows } from '@onc-orders/onc-client';
import { describeOutcome } from '../describe-outcome.js';
import type { OncService } from '../onc-service.js';

/** Discovery could not be asked (timeouts, 5xx, an unreadable answer): the order goes on unchecked. */
export class DiscoveryUnreachable extends Error {
  override name = 'DiscoveryUnreachable';
}

export type DiscoveryAnswer = { kind: 'rows'; rows: DiscoveryRows } | { kind: 'refused'; error: ServiceError };

/**
 * One discovery call: its rows (none when ONC found nothing), or ONC's refusal of a code or parameter (400), with the
 * spec field it names. Anything that is not an answer throws DiscoveryUnreachable.
 */
export async function askDiscovery(
  service: OncService,
  method: DiscoveryMethod,
  params: Record<string, string>,
  signal: AbortSignal | undefined,
): Promise<DiscoveryAnswer> {
  let outcome;
  try {
    outcome = await service.client.discover(method, params, signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new DiscoveryUnreachable(`ONC ${method}: ${(error as Error).message}`, { cause: error });
  }
  switch (outcome.kind) {
    case 'ok':
      return { kind: 'rows', rows: outcome.value };
    case 'rejected': {
      const error = describeOutcome(outcome);
      const field = error.parameter ? `filters.${error.parameter}: ` : '';
      return { kind: 'refused', error: { ...error, message: `${field}ONC's ${method} refused it: ${error.message}` } };
    }
    case 'transient':
      throw new DiscoveryUnreachable(outcome.error.message, { cause: outcome.error });
    case 'notReady':
    case 'endOfFiles':
    case 'gone':
    case 'runFailed':
    case 'cancelled':
      throw new DiscoveryUnreachable(`ONC ${method} answered ${outcome.kind}`);
  }
}

/** A refusal naming the spec field at fault. */
export function refusal(field: string, message: string): { verdict: 'refused'; error: ServiceError } {
  return {
    verdict: 'refused',
    error: { code: null, parameter: field.replace(/^filters\./, ''), message: `${field}: ${message}` },
  };
}
