/**
 * Faults a test can inject into the otherwise well-behaved service: answers the documentation says "should not
 * occur" (500), proxies and load balancers (502/503/429), dropped connections, slow answers, downloads that break
 * or hang part-way through the body, and the FTP server's inconsistencies (a 202 or a 410 for a file that is there).
 * They apply to every service the simulator serves (dataProductDelivery, archivefile, discovery); the FTP-server
 * kinds only to dataProductDelivery's download.
 */
import type { SimMethod } from './methods/method-names.js';

export type FaultAction =
  /** Answer with this HTTP status instead of handling the call; `body` is sent as JSON when given. */
  | { kind: 'status'; status: number; body?: unknown; headers?: Readonly<Record<string, string>> }
  /** Destroy the connection without answering. */
  | { kind: 'reset' }
  /** Wait `ms` milliseconds (real time), then handle the call normally. */
  | { kind: 'delay'; ms: number }
  /** A download about to send a file: send the headers and `afterBytes` bytes (default half the body), then reset. */
  | { kind: 'truncate'; afterBytes?: number }
  /** A download about to send a file: send the headers and `afterBytes` bytes, then go silent (connection open). */
  | { kind: 'stall'; afterBytes: number }
  /** A download about to send a file: answer 202 "Transferring (NAME) to the FTP server" instead. */
  | { kind: 'notReadyAfterComplete' }
  /** A download about to send a file: answer 410 instead (the file stays). */
  | { kind: 'goneBeforeReady' };

export type FaultKind = FaultAction['kind'];

/** What a fault rule can look at when deciding whether a call is affected. */
export interface FaultCall {
  /** A dataProductDelivery method (`download`), an archive method (`archivefile/download`) or a discovery service. */
  method: SimMethod;
  /** The call's parameters (token included). */
  params: Readonly<Record<string, string>>;
}

export interface FaultRule {
  /** Methods the rule applies to (see SIM_METHODS); default: all. */
  methods?: readonly SimMethod[];
  /** Parameters the call must have, with these exact values (e.g. `{ dpRunId: '10000001', index: '2' }`). */
  match?: Readonly<Record<string, string>>;
  /** Further condition on the call (in-process only); default: none. */
  when?: (call: FaultCall) => boolean;
  /** Number of calls to affect; default 1, `Infinity` for all. */
  times?: number;
  action: FaultAction;
}

export interface FaultHandle {
  /** Calls the rule will still affect. */
  remaining(): number;
  /** Withdraws the rule. */
  remove(): void;
}

/** `before` faults replace or delay handling; `file` faults act on a download that is about to send a file. */
export type FaultPhase = 'before' | 'file';

export const phaseOf = (kind: FaultKind): FaultPhase => {
  switch (kind) {
    case 'status':
    case 'reset':
    case 'delay':
      return 'before';
    case 'truncate':
    case 'stall':
    case 'notReadyAfterComplete':
    case 'goneBeforeReady':
      return 'file';
    default: {
      const never: never = kind;
      throw new Error(`unknown fault kind ${String(never)}`);
    }
  }
};

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

const matches = (rule: FaultRule, call: FaultCall): boolean =>
  (!rule.methods || rule.methods.includes(call.method)) &&
  Object.entries(rule.match ?? {}).every(([k, v]) => call.params[k] === v) &&
  (!rule.when || rule.when(call));

export class FaultPlan {
  #rules: ActiveRule[] = [];

  add(rule: FaultRule): FaultHandle {
    const times = rule.times ?? 1;
    if (!(times >= 1)) throw new RangeError(`fault times must be >= 1, got ${times}`);
    phaseOf(rule.action.kind); // refuses unknown kinds now rather than on the first call
    const active: ActiveRule = { rule, remaining: times };
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
   * The first matching rule's action for this phase, consuming one of its uses. Rules apply in the order added.
   * `applies` narrows the kinds the call can take (an archive download cannot answer "Transferring to the FTP
   * server"): a rule of another kind is left for a call it fits.
   */
  take(call: FaultCall, phase: FaultPhase, applies: (kind: FaultKind) => boolean = () => true): FaultAction | null {
    const active = this.#rules.find(
      (a) => phaseOf(a.rule.action.kind) === phase && applies(a.rule.action.kind) && matches(a.rule, call),
    );
    if (!active) return null;
    active.remaining--;
    if (active.remaining <= 0) this.#rules = this.#rules.filter((r) => r !== active);
    return active.rule.action;
  }
}
