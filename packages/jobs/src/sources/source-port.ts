import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { SpecIssue } from '../orders/order-spec-error.js';

/**
 * # The source port: what a data source owes the core, and what it gets
 *
 * The core (this package) owns the database, the queues, leases, retries, politeness caps, the files on disk and the
 * history. A **source** owns one service's protocol: ONC's data products, ONC's archived files, DataStream,
 * WebCOOS. It never touches the database or the queues; it is handed what was saved and returns what happened.
 *
 * Terms:
 * - **order**: what a user submits, validated by its source's `specSchema` (the `source` field picks the source; no
 *   `source` means "onc-data-products").
 * - **product**: one unit of work an order expands to (ONC: one data product request; DataStream: one partition).
 *   It has `params` (what it asks for, fixed at submit) and a `state` (the source's own memory, JSON).
 * - **step**: one move of a product's conversation with its service (ONC: `request`, then `run`, then `status` until
 *   processing ends). The core calls `prepare` once per step and persists the state it returns before it acts on the
 *   outcome. A step that must record something *before* a call (an intent the next attempt should see) calls
 *   `checkpoint`, which commits that state first.
 * - **file**: one output of a product, named by the source's `ref` (unique within the order) and described by its
 *   `meta` (JSON). The core fetches it through `fetch`: into a temporary file, checked against Content-Length, hashed,
 *   fsynced, renamed atomically, then recorded. A file complete on disk is never fetched again.
 *
 * Crash-safety rules each outcome must keep (the core keeps the rest):
 * - Everything a later attempt needs is in the returned state, or `checkpoint`ed before the call that needs it. A
 *   worker can die at any `await`; the next attempt starts from the last committed state and must not repeat work
 *   the service cannot take twice. ONC's rule: request once, run once, recover the runs through `status`.
 * - `prepare` may be called again with the same state (a retry, a job re-queued after Redis was lost). It must then
 *   pick up where that state says, not start over.
 * - A transient failure (5xx, reset, timeout, 429) is thrown as `TransientFailure` and changes no state: the core
 *   retries the step with backoff, never sooner than the service's Retry-After.
 * - A refusal that retrying cannot cure (the service's 400/401 with its own code) is `rejected`, never thrown.
 * - `fetch` returns the body unread; the core decides whether a partial answer continues its partial copy.
 * - An order cancelled while a step was in flight keeps the step's state but not its outcome; when `hasRemoteWork`
 *   says the service is still busy for it, the core queues `cancelRemote`.
 */

/** A refusal as the service gave it: its own error code, the parameter it named, and its message. */
export interface ServiceError {
  code: number | null;
  parameter: string | null;
  message: string;
}

/** One product an order expands to. */
export interface ProductPlan<Params, State> {
  params: Params;
  state: State;
}

/** A file a product will yield, as the source lists it. */
export interface ListedFile<Meta> {
  /** Unique within the order; a second listing of the same ref is the same file, fetched once. */
  ref: string;
  meta: Meta;
}

/** What `prepare` and `fetch` see of a product: its fixed params, its saved state, and its place in the order. */
export interface ProductSnapshot<Spec, Params, State> {
  id: number;
  orderId: string;
  ordinal: number;
  params: Params;
  state: State;
  reorders: number;
  /** The order's spec, as its source normalised it. */
  spec: Spec;
}

/** What `fetch` sees of one file. */
export interface FileSnapshot<Meta> {
  id: number;
  ref: string;
  meta: Meta;
  /** Earlier attempts at this file: a first attempt cannot have a partial copy. */
  attempts: number;
}

/** The core's services to a step: its cancellation, its log, the test failpoints, and the checkpoint. */
export interface StepContext<State> {
  signal: AbortSignal | undefined;
  logger: Logger;
  /** Dies here when a test armed this failpoint (see failpoints.ts); a no-op otherwise. */
  failpoint(name: string): void;
  /**
   * Commits `state` (and a history entry, when given) before the step goes on. For intents that must survive a crash
   * in the next call: ONC's "run was called at T", so that a retry asks `status` instead of calling `run` again.
   */
  checkpoint(state: State, event?: { kind: string; reason: string }): Promise<void>;
}

/** A history entry the core records with the outcome. */
export interface StepEvent {
  kind: string;
  reason: string;
}

/**
 * What one step came to. Every outcome carries the state to save; the core commits it, with the product's new status,
 * in one transaction, and only then queues what follows.
 */
export type PrepareOutcome<State, Meta> =
  /**
   * The next step may run at once (ONC: the request was accepted; now `run`). `files` are recorded with the state (a
   * page of a listing that goes on); they are downloaded once a `files` outcome ends the listing. `failpointAfterSave`
   * names a failpoint the core reaches once the state is committed and before the next step is queued.
   */
  | {
      kind: 'continue';
      state: State;
      reason: string;
      files?: ListedFile<Meta>[];
      events?: StepEvent[];
      failpointAfterSave?: string;
    }
  /** The service is working: the same step again after `waitMs`, holding no worker slot meanwhile. */
  | { kind: 'wait'; state: State; waitMs: number; reason: string; note?: string; events?: StepEvent[] }
  /** The product's files are known: they are downloaded next (files already listed or complete are kept). */
  | { kind: 'files'; state: State; files: ListedFile<Meta>[]; reason: string; events?: StepEvent[] }
  /** The service has nothing for this product: a successful end with no files. */
  | { kind: 'nodata'; state: State; error: ServiceError }
  /**
   * The service refused, or its processing failed, for good: the product fails with the service's own words. With
   * `endsOrder` (a bad credential: every other product would be refused the same), the whole order fails at once.
   */
  | { kind: 'rejected'; state: State; error: ServiceError; endsOrder?: boolean }
  /** The product must be ordered again from scratch (its files on the service are lost); bounded by MAX_REORDERS. */
  | { kind: 'reorder'; state: State; reason: string }
  /**
   * A page of rows for the product's one file, which the source writes itself (DataStream): `chunk` (the rows,
   * serialised) is appended to the file's copy at its committed length and fsynced, and only then are the state and
   * the new length committed. With `done`, the file is complete: it is renamed to `name` and recorded with its size,
   * sha256 and row count, and the product ends. A state that says the file is done must answer `done` with an empty
   * chunk and make no call: that step is repeated when a crash came between the commit and the rename.
   */
  | {
      kind: 'rows';
      state: State;
      file: ListedFile<Meta> & { name: string };
      chunk: Buffer;
      rows: number;
      done: boolean;
      reason: string;
    };

/** What the order's first step, before any product starts, came to. */
export type OrderStartOutcome<Params, State, OrderState> =
  | {
      kind: 'started';
      /** Saved with the order: the step is not run again when the order is restarted. */
      state: OrderState;
      /** Products added after those the spec expanded to (DataStream: one per partition the service listed). */
      add?: Array<ProductPlan<Params, State>>;
      /**
       * The state some of the spec's products start from, by ordinal, in place of the one `expand` gave them
       * (WebCOOS: the service each window lists and what its inventory counts), so no product asks the service again.
       */
      update?: Array<{ ordinal: number; state: State }>;
      /**
       * Products that end before they start: `nodata` (a window the service has nothing for) or `rejected` (a
       * combination its discovery service refuses), by ordinal.
       */
      end?: Array<{ ordinal: number; kind: 'nodata' | 'rejected'; error: ServiceError }>;
      events?: StepEvent[];
    }
  /** The order cannot go on (a bad credential, an unknown asset): it fails at once, with the service's words. */
  | { kind: 'failed'; error: ServiceError };

/** One distinct combination of an order's codes, as the service's own catalogue judged it before anything is ordered. */
export interface CombinationVerdict {
  /** The codes that make the combination (ONC: dataProductCode, extension, locationCode …). */
  fields: Record<string, string>;
  /** The order's products that share it, by ordinal. */
  products: number[];
  /** `unchecked`: the catalogue could not be asked (unreachable); the service's own validation still applies. */
  verdict: 'accepted' | 'refused' | 'unchecked';
  /** Why it was refused: the field at fault (`parameter`, e.g. "filters.extension") and the allowed values. */
  error?: ServiceError;
}

/** What checking an order against its service's catalogue found, without ordering anything. */
export interface OrderCheck {
  /** false when the catalogue could not be asked, and why. */
  checked: boolean;
  note?: string;
  combinations: CombinationVerdict[];
}

/** What fetching one file came to. */
export type FetchOutcome<State, Meta> =
  /**
   * The bytes, unread. `rangeStart` was honoured when `httpStatus` is 206 and `partial.start` equals it; `meta` is
   * saved with the file once it is complete (ONC: the run it was fetched from).
   */
  | {
      kind: 'body';
      body: Readable;
      httpStatus: 200 | 206;
      contentLength?: number;
      partial?: { start: number; total?: number };
      /** The name the server sent. UNTRUSTED: the core makes it safe. */
      fileName?: string;
      /** A folder inside the order's folder to put the file in (WebCOOS: the asset). Made safe like a name. */
      folder?: string;
      meta?: Meta;
    }
  /** Not ready yet: the same fetch after `waitMs`. */
  | { kind: 'wait'; waitMs: number; note?: string }
  /**
   * There is no such file after all (ONC: past the last index). `updateState`, when given, is applied to the
   * product's current state in the transaction that records the file absent (other files may be changing it too).
   */
  | { kind: 'absent'; reason: string; updateState?: (state: State) => State }
  /** The file is gone from the service. See `afterGone`. */
  | { kind: 'gone'; reason: string }
  /** The server will not serve the range asked for: the partial copy is dropped and the file fetched whole. */
  | { kind: 'rangeRefused' }
  /** The file cannot be had, for good. */
  | { kind: 'failed'; error: ServiceError };

/** Where a failed or cancelled product picks up when its order is restarted. */
export interface ResumePlan<State> {
  /**
   * `start`: its conversation begins (nothing was asked of the service); `prepare`: it goes on from `state`;
   * `download`: its files are fetched; `reorder`: it is ordered from the service again (its work there is lost).
   */
  from: 'start' | 'prepare' | 'download' | 'reorder';
  state: State;
}

/** The fleet-wide limits of the service a source talks to. Sources of one service share them. */
export interface ServiceLimits {
  /** e.g. "onc": also the name of its downloads queue. */
  name: string;
  /** Downloads from this service at once, across all workers together. */
  maxConcurrentDownloads: number;
}

/** What the core knows of a product that a source's view may show in its own terms. */
export interface ProductFacts {
  /** The service's latest word on it (see `wait`'s `note`). */
  note: string | null;
}

/** The zod shapes of the fields a source adds to the views, so the API can publish them. */
export interface SourceViewSchema {
  order: z.ZodRawShape;
  product: z.ZodRawShape;
  file: z.ZodRawShape;
}

/** How the views and the manifest show a product and its files: the source's own fields, shown beside the core's. */
export interface SourceView<Spec, Params, State, Meta> {
  readonly schema: SourceViewSchema;
  /** Fields of the order summary (ONC: deleteFile, includeMetadataFile). */
  order(spec: Spec): Record<string, unknown>;
  /** The product's status as this source's users know it, when it says more than the core's (ONC: "running"). */
  productStatus?(status: string, state: State): string;
  product(params: Params, state: State, facts: ProductFacts): Record<string, unknown>;
  file(meta: Meta, params: Params, state: State): Record<string, unknown>;
  /** The source's own fields of a file's manifest entry (ONC: dpRequestId, dpRunId, index). */
  manifestFile(meta: Meta, params: Params, state: State): Record<string, unknown>;
  /** A short title an operator reads on the dashboard: what, where, when. */
  productTitle(params: Params): string;
  fileTitle(meta: Meta): string;
  /** The file's name when the server sends none. */
  fallbackFileName(ordinal: number, meta: Meta): string;
  /**
   * Bytes an open product is expected to yield in all, when the source can say (ONC: its estimate; an archive
   * listing's sizes once listed); null when it cannot. The order's `bytesExpected` is known only when every open
   * product's is.
   */
  expectedBytes?(params: Params, state: State): number | null;
  /** Extra statuses `productStatus` may show (ONC: "requested", "running"), for the API's schema. */
  readonly productStatuses?: readonly string[];
}

/**
 * One data source. `Spec` is the validated order, `Params` one product's fixed input, `State` its saved memory,
 * `Meta` one file's.
 */
export interface Source<Spec = unknown, Params = unknown, State = unknown, Meta = unknown> {
  /** The `source` field of its orders, e.g. "onc-data-products". */
  readonly name: string;
  readonly service: ServiceLimits;
  /** Validates and normalises an order spec (defaults applied); the OpenAPI document shows it. */
  readonly specSchema: z.ZodType<Spec>;
  /** The order's label, for titles and the order list. */
  labelOf(spec: Spec): string | undefined;
  /** The products of an order, checked before anything is stored. Throws OrderSpecError or OrderTooLargeError. */
  expand(spec: Spec, limits: { maxProducts: number }): Array<ProductPlan<Params, State>>;
  /**
   * The order's first step, run once before any product starts (ONC: check every distinct combination against its
   * discovery service; DataStream: list the partitions). Its outcome is committed, with the order's move to running,
   * before any product's job is queued. Transient failures are thrown, and the step is run again from the start.
   */
  startOrder?(
    order: { id: string; spec: Spec; products: ReadonlyArray<{ ordinal: number; params: Params }> },
    context: { signal: AbortSignal | undefined; logger: Logger },
  ): Promise<OrderStartOutcome<Params, State, unknown>>;
  /**
   * Files the source writes beside the order's own once every product has ended (DataStream: `datasets.json`, the
   * citation of every dataset the rows came from). Each is written whole and atomically into the order's folder
   * before the manifest; transient failures are thrown, and finishing is tried again.
   */
  finishOrder?(
    order: {
      id: string;
      spec: Spec;
      products: ReadonlyArray<{ ordinal: number; params: Params; state: State; status: string }>;
    },
    context: { signal: AbortSignal | undefined; logger: Logger },
  ): Promise<Array<{ name: string; content: string }>>;
  /**
   * Checks an order against the service's own catalogue (ONC: its discovery services) without ordering anything:
   * for `POST /orders/check`, and the first step of the order itself. Throws nothing for an unreachable catalogue:
   * that is `checked: false`.
   */
  checkOrder?(
    order: { spec: Spec; products: ReadonlyArray<{ ordinal: number; params: Params }> },
    context: { signal: AbortSignal | undefined; logger: Logger },
  ): Promise<OrderCheck>;
  /** One step of a product's conversation; see the crash-safety rules above. Transient failures are thrown. */
  prepare(
    product: ProductSnapshot<Spec, Params, State>,
    context: StepContext<State>,
  ): Promise<PrepareOutcome<State, Meta>>;
  /** Identifies the copy a partial download belongs to (ONC: its run): partial bytes are resumed only from the same. */
  copyOf(file: FileSnapshot<Meta>, product: ProductSnapshot<Spec, Params, State>): string;
  /** Asks for one file's bytes (from `rangeStart` when given). Transient failures are thrown. */
  fetch(
    file: FileSnapshot<Meta>,
    product: ProductSnapshot<Spec, Params, State>,
    request: { rangeStart?: number; signal: AbortSignal | undefined },
  ): Promise<FetchOutcome<State, Meta>>;
  /**
   * The file that follows a completed one in a list of unknown length (ONC: the next index of a run whose file count
   * it did not tell), created in the same transaction that records `file` complete.
   */
  nextFile?(file: FileSnapshot<Meta>, product: ProductSnapshot<Spec, Params, State>): ListedFile<Meta> | undefined;
  /**
   * A file stays gone after the retries: `reorder` the product (its files were deleted after a lost download) or
   * `fail`. `submitted` is the spec as the order was first submitted: a restart may have changed `spec` since, and a
   * file fetched under the old one may have been deleted by the service's own rule (a download that finished on the
   * service's side just as a cancel stopped it here).
   */
  afterGone(spec: Spec, submitted: Spec): 'reorder' | 'fail';
  /** The state a re-ordered product starts from: what was asked of the service before is forgotten. */
  reorderState(state: State): State;
  /** Whether a cancelled product left work running on the service that `cancelRemote` should stop. */
  hasRemoteWork(state: State): boolean;
  /** Stops the service's work for a cancelled product, best effort; returns what to record. */
  cancelRemote?(product: ProductSnapshot<Spec, Params, State>, signal: AbortSignal | undefined): Promise<string>;
  /** Where a failed or cancelled product resumes on restart. `hasFiles`: its files were listed before it stopped. */
  resume(state: State, hasFiles: boolean): ResumePlan<State>;
  /** Settings a restart may change (ONC: `deleteFile`); returns the new spec or throws OrderSpecError. */
  applyRestartOptions?(spec: Spec, options: Record<string, unknown>): Spec;
  /** Lets go of the source's connections (its HTTP pool). */
  close?(): Promise<void>;
  /** Names of the failpoints this source reaches, so FAILPOINTS can be checked at start. */
  readonly failpoints?: readonly string[];
  readonly view: SourceView<Spec, Params, State, Meta>;
}

/** Any source, as the core holds them side by side. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySource = Source<any, any, any, any>;

/** Issues a source reports for a spec; the same shape as OrderSpecError's. */
export type { SpecIssue };
