/**
 * Faults a test injects into an otherwise well-behaved API: the statuses the documents name (408/504 timeouts, 413
 * too large, 429) and what proxies add (500/502/503), with or without Retry-After; a connection dropped before the
 * headers or part-way through the body; a slow answer. A rule picks calls by resource, exact query values, a
 * predicate (in-process only) and its n-th match, and acts `times` times.
 *
 * Faults act on calls the service would otherwise answer normally: after the path, the key, the rate limit and
 * the query options are checked (a refused call is not a fault's to shape, and does not count towards `nth`).
 */
import type { Resource } from './resources.js';

export type FaultAction =
  /** Answer this status instead of the page. `body` is sent as JSON (default `{"message": <status text>}`). */
  | {
      kind: 'status';
      status: number;
      /** `Retry-After` value (seconds, or an HTTP date); default none. */
      retryAfter?: number | string;
      body?: unknown;
      headers?: Readonly<Record<string, string>>;
    }
  /** Destroy the connection before any header is sent. */
  | { kind: 'reset' }
  /** Send the headers (with the full Content-Length) and `afterBytes` of the body (default half), then destroy. */
  | { kind: 'resetMidBody'; afterBytes?: number }
  /** Wait `ms` milliseconds, then answer normally. */
  | { kind: 'delay'; ms: number };

export type FaultKind = FaultAction['kind'];

export const FAULT_KINDS: readonly FaultKind[] = ['status', 'reset', 'resetMidBody', 'delay'];

/** What a rule can look at. */
export interface FaultCall {
  resource: Resource;
  /** Decoded query parameters (first value of each). */
  query: Readonly<Record<string, string>>;
  /** 1-based number of this call among the service calls that reached the fault stage since start. */
  serial: number;
}

export interface FaultRule {
  /** Resources the rule applies to; default all. */
  resources?: readonly Resource[];
  /** Query parameters the call must have, with these exact decoded values (e.g. `{ '$top': '10000' }`). */
  match?: Readonly<Record<string, string>>;
  /** A further condition (in-process only). */
  when?: (call: FaultCall) => boolean;
  /** Act from the n-th call the rule matches (1 = the first). Default 1. */
  nth?: number;
  /** How many calls to act on, from the n-th; default 1, `Infinity` for all. */
  times?: number;
  action: FaultAction;
}

export interface FaultHandle {
  /** Calls the rule will still act on. */
  remaining(): number;
  /** Withdraws the rule. */
  remove(): void;
}

interface ActiveRule {
  rule: FaultRule;
  /** Matching calls still to let through before acting. */
  skip: number;
  remaining: number;
}

export function checkFaultRule(rule: FaultRule): void {
  const times = rule.times ?? 1;
  const nth = rule.nth ?? 1;
  if (!(times >= 1)) throw new RangeError(`fault times must be >= 1, got ${times}`);
  if (!(Number.isInteger(nth) && nth >= 1)) throw new RangeError(`fault nth must be a whole number >= 1, got ${nth}`);
  const action = rule.action as { kind?: unknown } | undefined;
  if (!action || !FAULT_KINDS.includes(action.kind as FaultKind))
    throw new RangeError(`fault action kind must be one of ${FAULT_KINDS.join(', ')}`);
  const a = rule.action;
  if (a.kind === 'status' && !(Number.isInteger(a.status) && a.status >= 100 && a.status <= 599))
    throw new RangeError(`fault status must be an HTTP status, got ${a.status}`);
  if (a.kind === 'delay' && !(a.ms >= 0)) throw new RangeError(`fault delay ms must be >= 0, got ${a.ms}`);
  if (a.kind === 'resetMidBody' && a.afterBytes !== undefined && !(Number.isInteger(a.afterBytes) && a.afterBytes >= 0))
    throw new RangeError(`fault afterBytes must be a whole number >= 0, got ${a.afterBytes}`);
}

const matches = (rule: FaultRule, call: FaultCall): boolean =>
  (!rule.resources || rule.resources.includes(call.resource)) &&
  Object.entries(rule.match ?? {}).every(([k, v]) => call.query[k] === v) &&
  (!rule.when || rule.when(call));

export class FaultPlan {
  #rules: ActiveRule[] = [];

  add(rule: FaultRule): FaultHandle {
    checkFaultRule(rule);
    const active: ActiveRule = { rule, skip: (rule.nth ?? 1) - 1, remaining: rule.times ?? 1 };
    this.#rules.push(active);
    return {
      remaining: () => active.remaining,
      remove: () => {
        this.#rules = this.#rules.filter((r) => r !== active);
      },
    };
  }

  clear(): void {
    this.#rules = [];
  }

  /** Rules still active, for the control endpoint (predicates shown as `when: true`). */
  describe(): unknown[] {
    return this.#rules.map(({ rule, skip, remaining }) => ({
      ...rule,
      when: rule.when ? true : undefined,
      skip,
      remaining,
    }));
  }

  /**
   * The action for this call, or null. Every rule the call matches counts it (towards its `nth`); the first rule,
   * in the order added, that is due acts and uses up one of its `times`.
   */
  take(call: FaultCall): FaultAction | null {
    let chosen: ActiveRule | null = null;
    for (const active of this.#rules) {
      if (!matches(active.rule, call)) continue;
      if (active.skip > 0) {
        active.skip--;
        continue;
      }
      if (!chosen) chosen = active;
    }
    if (!chosen) return null;
    chosen.remaining--;
    if (chosen.remaining <= 0) this.#rules = this.#rules.filter((r) => r !== chosen);
    return chosen.rule.action;
  }
}
