import { networkFailureKind } from '@onc-orders/http-retry';
import { Agent, request as sendRequest, type Dispatcher } from 'undici';
import type { OncCallContext } from './call-context.js';
import { buildCallUrl } from './call-url.js';
import { classifyAnswer, type OncAnswer } from './classify-answer.js';
import { resolveClientOptions, type OncClientOptions, type ResolvedClientOptions } from './client-options.js';
import { OncProtocolError } from './errors/onc-protocol-error.js';
import { OncTransientError } from './errors/onc-transient-error.js';
import { OncValidationError } from './errors/onc-validation-error.js';
import { discardBody } from './discard-body.js';
import { classifyNetworkError } from './network-errors.js';
import { answersWithFile, type DiscoveryMethod, type OncMethod } from './onc-method.js';
import type { ArchiveListing } from './answer/archive-listing.js';
import type {
  DiscoveryRows,
  DownloadedBody,
  DownloadRequest,
  OncFilters,
  OncOutcome,
  OncValueByMethod,
  RequestResult,
  RunInfo,
  StatusResult,
} from './outcome.js';
import { parseContentDisposition } from './parse/content-disposition.js';
import { parseContentRange } from './parse/content-range.js';
import { readAnswerBody } from './read-answer-body.js';
import { redactToken } from './redact-token.js';
import { validateFilters } from './validate-filters.js';

const USER_AGENT = 'onc-orders-onc-client/0.1';

type ResponseData = Dispatcher.ResponseData;

interface CallPlan<M extends OncMethod> {
  method: M;
  params: Record<string, string>;
  context: Omit<OncCallContext, 'method'>;
  signal: AbortSignal | undefined;
  headers?: Record<string, string>;
  /** Runs once the call's turn has come (after `beforeCall`), just before it is sent; a failure stops the call. */
  beforeSend?: () => Promise<void>;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function requirePositiveInteger(method: OncMethod, field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new OncValidationError([{ field, message: `must be a positive integer, got ${String(value)}` }], method);
  }
}

/** "Range: bytes=N-" for a resumed download; a bad offset is the caller's mistake. */
function rangeHeaders(method: OncMethod, rangeStart: number | undefined): Record<string, string> {
  if (rangeStart === undefined) return {};
  if (!Number.isSafeInteger(rangeStart) || rangeStart < 0) {
    throw new OncValidationError(
      [{ field: 'rangeStart', message: `must be a non-negative integer, got ${String(rangeStart)}` }],
      method,
    );
  }
  return { range: `bytes=${rangeStart}-` };
}

/**
 * Typed client for ONC's dataProductDelivery, archivefile and discovery services. Each method makes exactly one HTTP call and reports what it came
 * to as an OncOutcome; it throws only for the caller's own mistakes (OncValidationError, before any call), for
 * answers it cannot read (OncProtocolError), and when the caller's signal aborts. It never retries: the caller owns
 * that policy (see isRetryable, backoffDelayMs).
 */
export class OncClient {
  readonly #options: ResolvedClientOptions;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  #closed = false;

  constructor(options: OncClientOptions) {
    this.#options = resolveClientOptions(options);
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher =
      options.dispatcher ??
      new Agent({
        connect: { timeout: this.#options.timeoutMs },
        headersTimeout: this.#options.timeoutMs,
        bodyTimeout: this.#options.bodyTimeoutMs,
      });
  }

  /**
   * Creates a request definition. Filters are validated locally first: invalid ones throw OncValidationError.
   * `beforeSend` runs once the call's turn has come (its pace and slot, `beforeCall`), just before it is sent: a
   * caller that records its intent there records it only for a request about to leave, not for one still waiting.
   */
  async request(
    filters: OncFilters,
    signal?: AbortSignal,
    beforeSend?: () => Promise<void>,
  ): Promise<OncOutcome<RequestResult>> {
    const validation = validateFilters(filters);
    if (!validation.ok) throw new OncValidationError(validation.issues, 'request');
    return this.#call({
      method: 'request',
      params: validation.filters,
      context: {},
      signal,
      ...(beforeSend ? { beforeSend } : {}),
    });
  }

  /** Starts the request's runs. 200 (all complete) -> ok; 202 -> notReady with the runs; a run in error -> runFailed. */
  async run(dpRequestId: number, signal?: AbortSignal): Promise<OncOutcome<RunInfo[]>> {
    return this.#callForRequest('run', dpRequestId, signal);
  }

  /** The request's runs and their states; also how run ids are recovered after the answer to `run` was lost. */
  async status(dpRequestId: number, signal?: AbortSignal): Promise<OncOutcome<StatusResult>> {
    return this.#callForRequest('status', dpRequestId, signal);
  }

  async cancel(dpRequestId: number, signal?: AbortSignal): Promise<OncOutcome<RunInfo[]>> {
    return this.#callForRequest('cancel', dpRequestId, signal);
  }

  async restart(dpRequestId: number, signal?: AbortSignal): Promise<OncOutcome<RunInfo[]>> {
    return this.#callForRequest('restart', dpRequestId, signal);
  }

  /**
   * Fetches one file of a run. On ok the body is a stream the caller MUST consume or destroy; a break mid-stream is
   * the caller's to classify with classifyNetworkError. With rangeStart the answer says what ONC honoured (200 = the
   * whole file, 206 = from `partial.start`); deciding whether that resumes correctly is the caller's job.
   */
  async download(req: DownloadRequest): Promise<OncOutcome<DownloadedBody>> {
    requirePositiveInteger('download', 'dpRunId', req.dpRunId);
    if (req.index !== 'meta') requirePositiveInteger('download', 'index', req.index);
    if (typeof req.deleteFile !== 'boolean') {
      throw new OncValidationError([{ field: 'deleteFile', message: 'must be true or false' }], 'download');
    }
    const headers = rangeHeaders('download', req.rangeStart);
    return this.#call({
      method: 'download',
      params: { dpRunId: String(req.dpRunId), index: String(req.index), deleteFile: String(req.deleteFile) },
      context: { dpRunId: req.dpRunId, index: req.index },
      signal: req.signal,
      headers,
    });
  }

  /**
   * One page of ONC's archive listing, by location (`locationCode` + `deviceCategoryCode`) or by device
   * (`deviceCode`), with the listing's own parameters (dates, fileExtension, rowLimit, page, returnOptions …). The
   * next page is the same call with `next` as its parameters.
   */
  async listArchive(
    by: 'location' | 'device',
    params: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<OncOutcome<ArchiveListing>> {
    return this.#call({ method: `archivefile/${by}`, params, context: {}, signal });
  }

  /** Fetches one archived file by name; the body is a stream the caller MUST consume or destroy (as `download`). */
  async downloadArchiveFile(req: {
    filename: string;
    rangeStart?: number;
    signal?: AbortSignal;
  }): Promise<OncOutcome<DownloadedBody>> {
    if (typeof req.filename !== 'string' || req.filename === '') {
      throw new OncValidationError([{ field: 'filename', message: 'must be a file name' }], 'archivefile/download');
    }
    return this.#call({
      method: 'archivefile/download',
      params: { filename: req.filename },
      context: {},
      signal: req.signal,
      headers: rangeHeaders('archivefile/download', req.rangeStart),
    });
  }

  /** Asks a discovery service what it has for these filters; "nothing found" (404) is an empty list. */
  async discover(
    service: DiscoveryMethod,
    params: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<OncOutcome<DiscoveryRows>> {
    return this.#call({ method: service, params, context: {}, signal });
  }

  /** Closes the client's own connection pool (waiting for streams still being read); a supplied dispatcher is left open. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  async #callForRequest<M extends 'run' | 'status' | 'cancel' | 'restart'>(
    method: M,
    dpRequestId: number,
    signal: AbortSignal | undefined,
  ): Promise<OncOutcome<OncValueByMethod[M]>> {
    requirePositiveInteger(method, 'dpRequestId', dpRequestId);
    return this.#call({ method, params: { dpRequestId: String(dpRequestId) }, context: { dpRequestId }, signal });
  }

  async #call<M extends OncMethod>(plan: CallPlan<M>): Promise<OncOutcome<OncValueByMethod[M]>> {
    if (this.#closed) throw new Error('OncClient is closed');
    const { method, signal } = plan;
    const context: OncCallContext = { ...plan.context, method };
    signal?.throwIfAborted();
    await this.#options.beforeCall?.(method);
    signal?.throwIfAborted();
    await plan.beforeSend?.();
    signal?.throwIfAborted();

    const { token, baseUrl, urlStyle, timeoutMs, bodyTimeoutMs } = this.#options;
    const url = buildCallUrl({ baseUrl, urlStyle, method, token, params: plan.params });
    const started = performance.now();
    const report = (
      outcome: OncOutcome<unknown>,
      httpStatus: number | undefined,
      failure?: 'timeout' | 'network',
    ): void => {
      this.#report({ method, url, httpStatus, failure, ms: performance.now() - started, outcome });
    };

    // undici's own timeouts cover each phase separately; this deadline bounds connect + headers as a whole.
    const deadline = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      deadline.abort();
    }, timeoutMs);
    const callSignal = signal === undefined ? deadline.signal : AbortSignal.any([signal, deadline.signal]);

    let httpStatus: number | undefined;
    let answer: OncAnswer;
    try {
      const response = await sendRequest(url, {
        method: 'GET',
        dispatcher: this.#dispatcher,
        signal: callSignal,
        headers: {
          'user-agent': USER_AGENT,
          accept: answersWithFile(method) ? '*/*' : 'application/json',
          ...plan.headers,
        },
        headersTimeout: timeoutMs,
        bodyTimeout: bodyTimeoutMs,
      });
      clearTimeout(timer);
      httpStatus = response.statusCode;
      answer = await this.#readAnswer(method, response, context);
    } catch (error) {
      clearTimeout(timer);
      if (signal?.aborted === true) throw error;
      const transientError = timedOut
        ? new OncTransientError(context, `no response headers within ${timeoutMs} ms`, { timedOut: true })
        : classifyNetworkError(error, method, plan.context);
      if (transientError === undefined) throw error;
      const outcome: OncOutcome<OncValueByMethod[M]> = { kind: 'transient', error: transientError };
      // Headers that arrived before a body that could not be read are an answer; otherwise say why there was none.
      const failure =
        httpStatus !== undefined ? undefined : timedOut ? 'timeout' : (networkFailureKind(error) ?? 'network');
      report(outcome, httpStatus, failure);
      return outcome;
    }

    let outcome: OncOutcome<OncValueByMethod[M]>;
    try {
      outcome = classifyAnswer(method, answer, plan.context);
    } catch (error) {
      if (answer.body.kind === 'file') discardBody(answer.body.file.body);
      throw error;
    }
    report(outcome, httpStatus);
    return outcome;
  }

  async #readAnswer(method: OncMethod, response: ResponseData, context: OncCallContext): Promise<OncAnswer> {
    const { statusCode, headers, body } = response;
    const retryAfter = firstHeader(headers['retry-after']);
    const base = retryAfter === undefined ? { httpStatus: statusCode } : { httpStatus: statusCode, retryAfter };
    if (answersWithFile(method) && (statusCode === 200 || statusCode === 206)) {
      return { ...base, body: { kind: 'file', file: this.#describeFile(response, context) } };
    }
    return { ...base, body: await readAnswerBody(body, this.#options.token) };
  }

  #describeFile(response: ResponseData, context: OncCallContext): DownloadedBody {
    const { statusCode, headers, body } = response;
    const file: DownloadedBody = { body, httpStatus: statusCode === 206 ? 206 : 200 };
    const fileName = parseContentDisposition(firstHeader(headers['content-disposition']));
    if (fileName !== undefined) file.fileName = fileName;
    const lengthHeader = firstHeader(headers['content-length']);
    if (lengthHeader !== undefined && /^\d+$/.test(lengthHeader)) file.contentLength = Number(lengthHeader);
    if (statusCode === 206) {
      const contentRange = firstHeader(headers['content-range']);
      const partial = parseContentRange(contentRange);
      if (partial === undefined) {
        discardBody(body);
        throw new OncProtocolError(
          context,
          206,
          `partial content with an unusable Content-Range (${String(contentRange)})`,
        );
      }
      file.partial = partial;
    }
    return file;
  }

  #report(info: {
    method: OncMethod;
    url: string;
    httpStatus: number | undefined;
    failure: 'timeout' | 'network' | undefined;
    ms: number;
    outcome: OncOutcome<unknown>;
  }): void {
    const { onCall } = this.#options;
    if (onCall === undefined) return;
    const callInfo = {
      method: info.method,
      url: redactToken(info.url, this.#options.token),
      ms: Math.round(info.ms),
      outcome: info.outcome.kind,
      ...(info.httpStatus === undefined ? {} : { httpStatus: info.httpStatus }),
      ...(info.failure === undefined ? {} : { failure: info.failure }),
    };
    try {
      onCall(callInfo);
    } catch {
      // A logging or metrics hook must not turn a call that succeeded (and may hold an open stream) into a failure.
    }
  }
}
