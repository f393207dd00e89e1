import { retryReasonOfStatus, TransientFailure, type CallFailure } from '@onc-orders/jobs';
import { networkFailureKind, parseRetryAfter, transientNetworkReason } from '@onc-orders/http-retry';
import { Agent, request as sendRequest, type Dispatcher } from 'undici';

const userAgent = 'onc-orders-source-webcoos/0.1';
/** Enough of an error body to quote; the rest is not read. */
const maxQuotedBytes = 64 * 1024;

/** What one API call came to, short of a transient failure (thrown as TransientFailure). */
export type ApiAnswer =
  | { kind: 'ok'; body: unknown }
  /** 401/403: the token is missing, wrong or not allowed; nothing else will fare better. */
  | { kind: 'refused'; status: number; message: string }
  | { kind: 'notFound'; message: string }
  /** Any other 4xx: the request itself was wrong. */
  | { kind: 'invalid'; status: number; message: string };

/** A media answer, its body unread (the caller must consume or destroy it). */
export interface MediaAnswer {
  status: number;
  headers: Record<string, string | undefined>;
  body: Dispatcher.ResponseData['body'];
}

export interface WebcoosClientOptions {
  baseUrl: string;
  token: string;
  timeoutMs: number;
  /** Waits for a slot of the fleet-wide call budget before each API call. */
  beforeCall?: (signal: AbortSignal | undefined) => Promise<void>;
  /**
   * Told about every call that got an answer or failed on its own (not one its caller aborted): the API's (`api`,
   * after its body is read) and the media host's (`media`, once the headers are in). `path` has no query.
   */
  onCall?: (call: WebcoosCall) => void;
}

export interface WebcoosCall {
  target: 'api' | 'media';
  path: string;
  /** Undefined when no answer came; `failure` then says why. */
  httpStatus: number | undefined;
  failure?: CallFailure;
  ms: number;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

/**
 * The WebCOOS API (JSON, with the token) and its media host (files, never the token). Each method makes one call;
 * network failures, timeouts, 429 and 5xx are thrown as TransientFailure (with the server's Retry-After), so the
 * core retries the step with backoff. Messages name paths and statuses, never the token.
 */
export class WebcoosClient {
  readonly #options: WebcoosClientOptions;
  readonly #api: URL;
  readonly #dispatcher: Agent;

  constructor(options: WebcoosClientOptions) {
    this.#options = options;
    this.#api = new URL(options.baseUrl.replace(/\/+$/, ''));
    this.#dispatcher = new Agent({
      connect: { timeout: options.timeoutMs },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  /** The API's base URL, no trailing slash. */
  get baseUrl(): string {
    return this.#api.toString().replace(/\/+$/, '');
  }

  /** An API URL from a path below the base (`/assets/x`) and its query. */
  apiUrl(path: string, query: Record<string, string> = {}): string {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return url.toString();
  }

  /**
   * A URL the API sent (a `next` page), if it stays on the API's host and under its path; rewritten onto the
   * configured scheme and port, since a server behind a proxy may write `http` for `https`. Undefined otherwise: the
   * token is never sent anywhere else.
   */
  sameApiUrl(sent: string): string | undefined {
    let url: URL;
    try {
      url = new URL(sent, `${this.baseUrl}/`);
    } catch {
      return undefined;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.hostname !== this.#api.hostname) return undefined;
    const basePath = this.#api.pathname.replace(/\/+$/, '');
    if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) return undefined;
    return `${this.#api.origin}${url.pathname}${url.search}`;
  }

  /** GET of an API URL (from `apiUrl` or `sameApiUrl`), with the token. */
  async getJson(url: string, signal: AbortSignal | undefined): Promise<ApiAnswer> {
    if (this.sameApiUrl(url) !== url) throw new Error('getJson is for URLs of the WebCOOS API only');
    await this.#options.beforeCall?.(signal);
    const path = new URL(url).pathname;
    return this.#observed('api', url, signal, async (answered) => {
      const response = await this.#send(url, signal, {
        authorization: `Token ${this.#options.token}`,
        accept: 'application/json',
      });
      answered(response.statusCode);
      return this.#readApiAnswer(path, response);
    });
  }

  /** GET of a file on the media host, with no Authorization header, from `rangeStart` when given. */
  async getMedia(url: string, rangeStart: number | undefined, signal: AbortSignal | undefined): Promise<MediaAnswer> {
    const headers: Record<string, string> = { accept: '*/*' };
    if (rangeStart !== undefined) headers['range'] = `bytes=${rangeStart}-`;
    const response = await this.#observed('media', url, signal, async (answered) => {
      const sent = await this.#send(url, signal, headers);
      answered(sent.statusCode);
      return sent;
    });
    const answerHeaders: Record<string, string | undefined> = {};
    for (const name of ['content-length', 'content-range', 'retry-after', 'content-type'])
      answerHeaders[name] = firstHeader(response.headers[name]);
    return { status: response.statusCode, headers: answerHeaders, body: response.body };
  }

  /** A short quote of an error answer (DRF's `detail`, or the text), for messages. */
  async quote(body: Dispatcher.ResponseData['body']): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of body) {
        const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
        chunks.push(buffer);
        size += buffer.length;
        if (size >= maxQuotedBytes) break;
      }
    } catch {
      // A broken error body says no more than its status.
    } finally {
      discard(body);
    }
    const text = Buffer.concat(chunks).toString('utf8').slice(0, maxQuotedBytes);
    let quoted = text;
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed === 'object' && parsed !== null && 'detail' in parsed && typeof parsed.detail === 'string')
        quoted = parsed.detail;
      else quoted = JSON.stringify(parsed);
    } catch {
      const s3Message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
      if (s3Message !== undefined) quoted = s3Message;
    }
    const clean = quoted
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
      .trim()
      .slice(0, 300);
    return this.#options.token === '' ? clean : clean.replaceAll(this.#options.token, 'REDACTED');
  }

  async close(): Promise<void> {
    await this.#dispatcher.close();
  }

  /** Runs one call and tells `onCall` how it ended: its status (reported by `call`), or why it got none. */
  async #observed<T>(
    target: WebcoosCall['target'],
    url: string,
    signal: AbortSignal | undefined,
    call: (answered: (httpStatus: number) => void) => Promise<T>,
  ): Promise<T> {
    const started = performance.now();
    let httpStatus: number | undefined;
    let failure: CallFailure | undefined;
    try {
      return await call((status) => {
        httpStatus = status;
      });
    } catch (error) {
      if (httpStatus === undefined && !signal?.aborted) failure = networkFailureKind(error) ?? 'network';
      throw error;
    } finally {
      if (httpStatus !== undefined || failure !== undefined) {
        const path = new URL(url).pathname;
        const ms = Math.round(performance.now() - started);
        this.#options.onCall?.({ target, path, httpStatus, ...(failure ? { failure } : {}), ms });
      }
    }
  }

  async #send(
    url: string,
    signal: AbortSignal | undefined,
    headers: Record<string, string>,
  ): Promise<Dispatcher.ResponseData> {
    signal?.throwIfAborted();
    try {
      return await sendRequest(url, {
        method: 'GET',
        dispatcher: this.#dispatcher,
        headers: { 'user-agent': userAgent, ...headers },
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      const reason = transientNetworkReason(error);
      const where = new URL(url).host;
      if (reason !== undefined)
        throw new TransientFailure(`WebCOOS (${where}): ${reason}`, undefined, { cause: error });
      throw new TransientFailure(
        `WebCOOS (${where}): ${error instanceof Error ? error.message : String(error)}`,
        undefined,
        { cause: error },
      );
    }
  }

  async #readApiAnswer(path: string, response: Dispatcher.ResponseData): Promise<ApiAnswer> {
    const { statusCode, body } = response;
    if (statusCode === 200) {
      const text = await body.text().catch((error: unknown) => {
        const reason = transientNetworkReason(error) ?? 'the answer broke off';
        throw new TransientFailure(`WebCOOS ${path}: ${reason}`, undefined, { cause: error });
      });
      try {
        return { kind: 'ok', body: JSON.parse(text) as unknown };
      } catch {
        // A proxy's HTML page in place of the API's JSON: the API may well answer next time.
        throw new TransientFailure(`WebCOOS ${path}: the answer is not JSON`, undefined, {
          reason: 'unreadable-answer',
        });
      }
    }
    const detail = await this.quote(body);
    const said = `WebCOOS answered ${statusCode} to ${path}${detail ? ` (${detail})` : ''}`;
    if (statusCode === 429 || statusCode >= 500 || statusCode === 408) {
      const retryAfterMs = parseRetryAfter(firstHeader(response.headers['retry-after']));
      throw new TransientFailure(said, retryAfterMs, { reason: retryReasonOfStatus(statusCode) });
    }
    if (statusCode === 401 || statusCode === 403) return { kind: 'refused', status: statusCode, message: said };
    if (statusCode === 404) return { kind: 'notFound', message: said };
    return { kind: 'invalid', status: statusCode, message: said };
  }
}
