/** Error codes that say the network or the server hiccupped, not that the request was wrong. */
const transientCodes: Record<string, string> = {
  ECONNRESET: 'connection reset',
  ECONNREFUSED: 'connection refused',
  ECONNABORTED: 'connection aborted',
  EPIPE: 'connection broken',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  EHOSTDOWN: 'host down',
  ENETUNREACH: 'network unreachable',
  ENETDOWN: 'network down',
  ENETRESET: 'network reset',
  EAI_AGAIN: 'DNS lookup failed temporarily',
  ENOTFOUND: 'DNS lookup failed',
  ERR_STREAM_PREMATURE_CLOSE: 'connection closed before the body ended',
  UND_ERR_SOCKET: 'connection closed by the other side',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  UND_ERR_HEADERS_TIMEOUT: 'timed out waiting for response headers',
  UND_ERR_BODY_TIMEOUT: 'timed out waiting for body data',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'body shorter than its Content-Length',
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: 'request body length mismatch',
};

/** Names and codes of an abort: the caller asked to stop, which is not a failure to retry. */
export function isAbortError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'AbortError' || name === 'TimeoutError' || code === 'ABORT_ERR' || code === 'UND_ERR_ABORTED';
}

/** Looks through `cause` chains and AggregateErrors (Node reports each address tried on connect) for a known code. */
function findTransientCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 5) return undefined;
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  if (typeof code === 'string' && code in transientCodes) return code;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const found = findTransientCode(inner, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return findTransientCode(cause, depth + 1);
}

/**
 * What a reset, refused connection, DNS hiccup, timeout or socket error was, e.g. "connection reset (ECONNRESET)":
 * a failure to retry with backoff. Undefined for aborts (the caller's own signal) and anything unrecognised, which
 * should be rethrown. Node and undici network errors carry addresses and ports, never the request URL.
 */
export function transientNetworkReason(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || isAbortError(error)) return undefined;
  const code = findTransientCode(error);
  return code === undefined ? undefined : `${transientCodes[code]} (${code})`;
}

/** Codes among the transient ones that say the other side was too slow, rather than that the connection broke. */
const timeoutCodes = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Whether a TimeoutError (AbortSignal.timeout's) is anywhere in the cause chain. */
function hasTimeoutError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const { name, cause } = error as { name?: unknown; cause?: unknown };
  return name === 'TimeoutError' || hasTimeoutError(cause, depth + 1);
}

/**
 * How a call that got no answer failed, in two words a metric can carry: `timeout` (a connect, headers or body
 * timeout, or an AbortSignal.timeout), `network` (any other failure transientNetworkReason knows), or undefined for
 * anything else.
 */
export function networkFailureKind(error: unknown): 'timeout' | 'network' | undefined {
  if (hasTimeoutError(error)) return 'timeout';
  const code = findTransientCode(error);
  if (code === undefined) return undefined;
  return timeoutCodes.has(code) ? 'timeout' : 'network';
}
