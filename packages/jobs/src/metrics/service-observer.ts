/**
 * What a source tells the core about its service as it talks to it, for the metrics: how each HTTP call ended, and
 * how long calls waited for the service's fleet-wide caps. The core defines it and knows no service; each source's
 * clients call it (see SourceDependencies). Its arguments become label values: service names and the closed sets
 * below, never a URL, a path or an id.
 */
export interface ServiceObserver {
  /** One HTTP call to `service` ended: with the status of its answer, or with none and why. */
  callEnded(service: string, answer: CallAnswer): void;
  /** A call to `service` waited `seconds` for one of its fleet-wide caps (the time to be granted, however short). */
  waitedForCap(service: string, cap: PolitenessCap, seconds: number): void;
}

/** How a call ended: an answer's status line, or no answer (no response headers) and why. */
export type CallAnswer = { httpStatus: number } | { failure: CallFailure };

export type CallFailure = 'timeout' | 'network';

/**
 * The fleet-wide caps a call can wait for: a budget of calls per second (FleetRateLimiter), a number of calls in
 * flight at once (FleetSemaphore), a pause every worker keeps after the service said "too many" (DataStream's 429).
 */
export type PolitenessCap = 'calls-per-second' | 'in-flight' | 'pause';

/** A call's outcome as the metric counts it: its status class (`2xx` … `5xx`), `timeout` or `network`. */
export type CallOutcomeClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'other-status' | CallFailure;

export function outcomeClassOf(answer: CallAnswer): CallOutcomeClass {
  if ('failure' in answer) return answer.failure;
  const hundreds = Math.floor(answer.httpStatus / 100);
  return hundreds >= 1 && hundreds <= 5 ? (`${hundreds}xx` as CallOutcomeClass) : 'other-status';
}

/** An answer from what a client saw: the status when headers arrived, else the failure (a reset when unknown). */
export function callAnswerOf(httpStatus: number | null | undefined, failure: CallFailure | undefined): CallAnswer {
  return typeof httpStatus === 'number' ? { httpStatus } : { failure: failure ?? 'network' };
}

/** For sources built without metrics (tools, some tests). */
export const silentServiceObserver: ServiceObserver = {
  callEnded: () => undefined,
  waitedForCap: () => undefined,
};
