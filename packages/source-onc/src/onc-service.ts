import {
  callAnswerOf,
  FleetRateLimiter,
  silentServiceObserver,
  type ServiceLimits,
  type SourceDependencies,
} from '@onc-orders/jobs';
import { OncClient } from '@onc-orders/onc-client';
import { simulatorToken, type OncSettings } from './onc-settings.js';

/** ONC's name in the queues (`downloads-onc`) and the metrics. */
const oncServiceName = 'onc';

/** What every ONC source shares: one client (one connection pool), ONC's fleet-wide limits, the polling bounds. */
export interface OncService {
  client: OncClient;
  limits: ServiceLimits;
  pollMinMs: number;
  pollMaxMs: number;
}

/**
 * The ONC client every ONC source uses, with the fleet-wide call budget (`ONC_MAX_RPS`, a slot in Redis before
 * every call) and a debug line per call, its token redacted by the client.
 */
export function createOncService(settings: OncSettings, deps: SourceDependencies): OncService {
  const observer = deps.observer ?? silentServiceObserver;
  const limiter = new FleetRateLimiter(deps.redis, `${deps.queuePrefix}:onc-calls`, settings.ONC_MAX_RPS, {
    onWaited: (seconds) => observer.waitedForCap(oncServiceName, 'calls-per-second', seconds),
  });
  const client = new OncClient({
    token: settings.ONC_TOKEN ?? simulatorToken,
    baseUrl: settings.ONC_BASE_URL,
    urlStyle: settings.ONC_URL_STYLE,
    beforeCall: () => limiter.acquire(),
    onCall: (call) => {
      observer.callEnded(oncServiceName, callAnswerOf(call.httpStatus, call.failure));
      deps.logger.debug({ onc: call }, `ONC ${call.method} → ${call.httpStatus ?? 'no answer'} (${call.outcome})`);
    },
  });
  return {
    client,
    limits: { name: oncServiceName, maxConcurrentDownloads: settings.ONC_MAX_DOWNLOADS },
    pollMinMs: settings.POLL_MIN_MS,
    pollMaxMs: settings.POLL_MAX_MS,
  };
}
