/**
 * Faults a test injects into the otherwise well-behaved hosts: what proxies, load balancers and S3 do now and then
 * (429, 5xx, dropped connections, slow answers, bodies that break or hang part-way). A rule picks calls by host,
 * path, query, a predicate and the n-th matching call, and affects `times` calls.
 */
import type { SimHost } from './call-log.js';

export type FaultAction =
  /**
   * Answer with this status instead of handling the call. `body`: a string is sent as is (text/plain unless a
   * Content-Type header is given), anything else as JSON; default a DRF `{"detail": …}` on the API and an S3-style
   * XML error on the media host.
   */
  | { kind: 'status'; status: number; headers?: Readonly<Record<string, string>>; body?: unknown }
  /** Drop the connection before any answer. */
  | { kind: 'reset' }
  /** Send the status, headers and `afterBytes` body bytes (default half the body), then drop the connection. */
  | { kind: 'resetMidBody'; afterBytes?: number }
  /** Send the status, headers and `afterBytes` body bytes (default 0), then go silent with the connection open. */
  | { kind: 'stall'; afterBytes?: number }
  /** Wait `ms` milliseconds (real time), then answer normally. */
  | { kind: 'delay'; ms: number };

export type FaultKind = FaultAction['kind'];

export const FAULT_KINDS: readonly FaultKind[] = ['status', 'reset', 'resetMidBody', 'stall', 'delay'];

/** What a rule can look at. */
export interface FaultCall {
  host: SimHost;
  method: string;
  /** The URL path, percent-decoded (so a file name's colons read as colons). */
  path: string;
  /** Query parameters, first value of each. */
  query: Readonly<Record<string, string>>;
}

export interface FaultRule {
  /** Host the rule applies to; default both. */
  host?: SimHost;
  /** A string matches when the decoded path contains it; a RegExp is tested against the decoded path. Default any. */
  path?: string | RegExp;
  /** Query parameters the call must have, with these exact values (e.g. `{ page: '3' }`). */
  query?: Readonly<Record<string, string>>;
  /** Further condition (in-process only). */
  when?: (call: FaultCall) => boolean;
  /** The rule first affects the n-th call it matches (1 = the first); earlier matching calls pass. Default 1. */
  nth?: number;
  /** Matching calls to affect from then on; default 1, `Infinity` for all. */
  times?: number;
  action: FaultAction;
}

export interface FaultHandle {
  /** Calls the rule will still affect. */
  remaining(): number;
  /** Withdraws the rule. */
  remove(): void;
}

interface ActiveRule {
  rule: FaultRule;
  seen: number;
  remaining: number;
}

const matches = (rule: FaultRule, call: FaultCall): boolean =>
  (rule.host === undefined || rule.host === call.host) &&
  (rule.path === undefined ||
    (typeof rule.path === 'string' ? call.path.includes(rule.path) : rule.path.test(call.path))) &&
  Object.entries(rule.query ?? {}).every(([k, v]) => call.query[k] === v) &&
  (rule.when === undefined || rule.when(call));

export function validateFaultAction(action: FaultAction): void {
  switch (action.kind) {
    case 'status':
      if (!(Number.isInteger(action.status) && action.status >= 100 && action.status <= 599))
        throw new RangeError(`fault status must be an HTTP status, got ${action.status}`);
      return;
    case 'reset':
      return;
    case 'resetMidBody':
    case 'stall':
      if (action.afterBytes !== undefined && !(Number.isInteger(action.afterBytes) && action.afterBytes >= 0))
        throw new RangeError(`fault afterBytes must be a non-negative integer, got ${action.afterBytes}`);
      return;
    case 'delay':
      if (!(action.ms >= 0)) throw new RangeError(`fault delay ms must be >= 0, got ${action.ms}`);
      return;
    default: {
      const never: never = action;
      throw new RangeError(`unknown fault kind ${JSON.stringify((never as { kind?: unknown }).kind)}`);
    }
  }
}

export class FaultPlan {
  #rules: ActiveRule[] = [];

  add(rule: FaultRule): FaultHandle {
    const times = rule.times ?? 1;
    const nth = rule.nth ?? 1;
    if (!(times >= 1)) throw new RangeError(`fault times must be >= 1, got ${times}`);
    if (!(Number.isInteger(nth) && nth >= 1)) throw new RangeError(`fault nth must be an integer >= 1, got ${nth}`);
    validateFaultAction(rule.action);
    const active: ActiveRule = { rule, seen: 0, remaining: times };
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

  /**
   * The action for this call, or null. Every matching rule counts the call towards its `nth`; the first rule (in the
   * order added) that has reached its `nth` and has uses left acts, and one of its uses is spent.
   */
  take(call: FaultCall): FaultAction | null {
    let chosen: ActiveRule | null = null;
    for (const active of this.#rules) {
      if (!matches(active.rule, call)) continue;
      active.seen++;
      if (!chosen && active.seen >= (active.rule.nth ?? 1) && active.remaining > 0) chosen = active;
    }
    if (!chosen) return null;
    chosen.remaining--;
    if (chosen.remaining <= 0) this.#rules = this.#rules.filter((r) => r !== chosen);
    return chosen.rule.action;
  }
}
