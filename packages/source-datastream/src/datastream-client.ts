import { isAbortError, networkFailureKind, parseRetryAfter, transientNetworkReason } from '@onc-orders/http-retry';
import { TransientFailure, type CallFailure } from '@onc-orders/jobs';

/** What DataStream answered one GET. */
export type DataStreamAnswer =
  /** A 200 with its rows: `raw` is the body as received, `value` its parsed rows, `nextLink` from body or header. */
  | { kind: 'page'; value: unknown[]; raw: string; nextLink: string | null }
  /** Any other status, with the service's `message` (null when it sent none) and its Retry-After. */
  | { kind: 'refused'; status: number; message: string | null; retryAfterMs: number | undefined };

/**
 * Runs one call holding the fleet's DataStream slot and a place in its per-second budget. With `slotWaitMs`, gives up
 * with SlotBusy when the slot is not had by then.
 */
export type CallGuard = (
  call: () => Promise<DataStreamAnswer>,
  signal: AbortSignal | undefined,
  slotWaitMs: number | undefined,
) => Promise<DataStreamAnswer>;

export interface DataStreamClientOptions {
  apiKey: string;
  guard: CallGuard;
  /** A call that has not ended by then is abandoned (DataStream itself stops queries at 30 s). */
  timeoutMs: number;
  /**
   * Told about every call that got an answer (`status`) or failed on its own (`failure`); not about one its caller
   * aborted. `path` has no query.
   */
  onCall?: (call: { path: string; status: number | null; failure?: CallFailure; ms: number }) => void;
}

/** The `next` target of a `Link: <url>; rel="next"` header, or null. */
export function nextFromLinkHeader(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(',')) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (match?.[1] && /(^|;)\s*rel="?next"?\s*(;|$)/i.test(match[2] ?? '')) return match[1];
  }
  return null;
}

function messageOf(raw: string): string | null {
  try {
    const body = JSON.parse(raw) as { message?: unknown };
    return typeof body.message === 'string' ? body.message : null;
  } catch {
    return raw.trim() === '' ? null : raw.trim().slice(0, 300);
  }
}

function pageOf(raw: string, linkHeader: string | null): DataStreamAnswer {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new TransientFailure('DataStream sent a page that is not whole JSON (cut off?)', undefined, {
      reason: 'incomplete-body',
    });
  }
  const value = (body as { value?: unknown } | null)?.value;
  if (!Array.isArray(value)) {
    throw new TransientFailure('DataStream sent a page without a value list', undefined, {
      reason: 'unreadable-answer',
    });
  }
  const inBody = (body as Record<string, unknown>)['@odata.nextLink'];
  const nextLink = typeof inBody === 'string' && inBody !== '' ? inBody : nextFromLinkHeader(linkHeader);
  return { kind: 'page', value, raw, nextLink };
}

/**
 * GETs from DataStream: every call holds the fleet-wide slot and its place in the per-second budget for as long as
 * it runs, body included (an answer still arriving is a request in flight). The key goes in `x-api-key` only; no URL,
 * log line or error carries it. Network failures and cut-off bodies are thrown as TransientFailure.
 */
export class DataStreamClient {
  constructor(private readonly options: DataStreamClientOptions) {}

  /** One GET; with `slotWaitMs`, SlotBusy when the fleet's slot stays taken that long. */
  get(url: string, signal: AbortSignal | undefined, slotWaitMs?: number): Promise<DataStreamAnswer> {
    return this.options.guard(() => this.send(url, signal), signal, slotWaitMs);
  }

  private async send(url: string, signal: AbortSignal | undefined): Promise<DataStreamAnswer> {
    const started = Date.now();
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    let status: number | null = null;
    let failure: CallFailure | undefined;
    try {
      const response = await fetch(url, {
        headers: { 'x-api-key': this.options.apiKey, accept: 'application/json', 'accept-encoding': 'br, gzip' },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      status = response.status;
      const raw = await response.text();
      if (response.status === 200) return pageOf(raw, response.headers.get('link'));
      return {
        kind: 'refused',
        status: response.status,
        message: messageOf(raw),
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after') ?? undefined),
      };
    } catch (error) {
      if (error instanceof TransientFailure) throw error;
      if (signal?.aborted) throw error;
      if (status === null) failure = timeout.aborted ? 'timeout' : (networkFailureKind(error) ?? 'network');
      if (timeout.aborted) {
        throw new TransientFailure(`DataStream did not answer within ${this.options.timeoutMs} ms`, undefined, {
          cause: error,
          reason: 'timeout',
        });
      }
      const reason = transientNetworkReason(error);
      if (reason) throw new TransientFailure(`DataStream call failed: ${reason}`, undefined, { cause: error });
      // A body that broke off mid-way surfaces as a bare "terminated" TypeError from fetch; it is a reset all the same.
      if (!isAbortError(error) && error instanceof TypeError) {
        throw new TransientFailure(`DataStream call failed: ${error.message}`, undefined, { cause: error });
      }
      throw error;
    } finally {
      if (status !== null || failure !== undefined) {
        const path = new URL(url).pathname;
        this.options.onCall?.({ path, status, ...(failure ? { failure } : {}), ms: Date.now() - started });
      }
    }
  }
}
