import {
  callAnswerOf,
  FleetRateLimiter,
  silentServiceObserver,
  type ServiceLimits,
  type SourceDependencies,
} from '@onc-orders/jobs';
import { WebcoosClient } from './webcoos-client.js';
import type { WebcoosSettings } from './webcoos-settings.js';

/** Sent to a simulator when no token is configured: webcoos-sim's default token (`webcoos-sim --token` changes it). */
export const simulatorToken = 'webcoos-sim-token-0000';

/** WebCOOS's name in the queues (`downloads-webcoos`) and the metrics; its media host is `webcoos-media` there. */
const webcoosServiceName = 'webcoos';

/** What the WebCOOS source works with: one client (one connection pool), the fleet-wide limits, listing bounds. */
export interface WebcoosService {
  client: WebcoosClient;
  limits: ServiceLimits;
  pageSize: number;
  maxListings: number;
}

/**
 * The WebCOOS client with the fleet-wide call budget (`WEBCOOS_MAX_RPS`, a slot in Redis before every API call) and
 * a debug line per call. Media downloads are not API calls: the core caps them per service (`WEBCOOS_MAX_DOWNLOADS`)
 * through the `downloads-webcoos` queue.
 */
export function createWebcoosService(settings: WebcoosSettings, deps: SourceDependencies): WebcoosService {
  const observer = deps.observer ?? silentServiceObserver;
  const limiter = new FleetRateLimiter(deps.redis, `${deps.queuePrefix}:webcoos-calls`, settings.WEBCOOS_MAX_RPS, {
    onWaited: (seconds) => observer.waitedForCap(webcoosServiceName, 'calls-per-second', seconds),
  });
  const client = new WebcoosClient({
    baseUrl: settings.WEBCOOS_BASE_URL,
    token: settings.WEBCOOS_TOKEN ?? simulatorToken,
    timeoutMs: settings.WEBCOOS_TIMEOUT_MS,
    beforeCall: (signal) => limiter.acquire(signal),
    onCall: (call) => {
      // The media host is another service than the API: its failures are told apart from the API's.
      const service = call.target === 'api' ? webcoosServiceName : `${webcoosServiceName}-media`;
      observer.callEnded(service, callAnswerOf(call.httpStatus, call.failure));
      if (call.target === 'api')
        deps.logger.debug({ webcoos: call }, `WebCOOS GET ${call.path} → ${call.httpStatus ?? 'no answer'}`);
    },
  });
  return {
    client,
    limits: { name: webcoosServiceName, maxConcurrentDownloads: settings.WEBCOOS_MAX_DOWNLOADS },
    pageSize: settings.WEBCOOS_PAGE_SIZE,
    maxListings: settings.WEBCOOS_MAX_LISTINGS,
  };
}
