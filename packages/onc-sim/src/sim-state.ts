/**
 * Everything the simulated service remembers: requests (search headers), their runs (searches) and which files
 * are gone. The mutating methods here are the only code that changes a request or run after it is created.
 *
 * Glossary (ONC's names in brackets):
 *  - request [search header, dpRequestId / searchHdrId]: validated filters plus their behaviour.
 *  - run [search, dpRunId / searchId]: one unit of generation; a request has one or more, created with the request
 *    (so status can show them before `run`) and queued by `run`.
 *  - file: a run's data file at index 1..n, or its metadata file at index `meta`.
 */
import type { Behaviour } from './behaviour.js';
import type { Catalogue } from './catalogue.js';
import type { FileSpec } from './file-content.js';
import { buildRunFiles } from './run-files.js';
import { RUN_STATUS, runStatusAt, type RunStatus } from './run-timeline.js';
import type { ResolvedSearch } from './search.js';

export type FileIndex = number | 'meta';

export interface SimRequest {
  readonly dpRequestId: number;
  /** The token that made the request; other tokens cannot see it. */
  readonly token: string;
  readonly createdAt: number;
  /** The request's parameters without token and method. */
  readonly filters: Readonly<Record<string, string>>;
  readonly search: ResolvedSearch;
  readonly behaviour: Behaviour;
  readonly runIds: readonly number[];
  /** When `run` was first called; null before. */
  ranAt: number | null;
}

export interface SimRun {
  readonly dpRunId: number;
  readonly dpRequestId: number;
  readonly files: readonly FileSpec[];
  readonly meta: FileSpec | null;
  startedAt: number | null;
  cancelledAt: number | null;
  /** Files deleted after a download with deleteFile true/absent, or removed by `removeFile`. */
  readonly removed: Set<FileIndex>;
}

export interface SimStateOptions {
  catalogue: Catalogue;
  /** First dpRequestId handed out. */
  firstRequestId: number;
  /** First dpRunId handed out. */
  firstRunId: number;
}

export class SimState {
  readonly #catalogue: Catalogue;
  readonly #requests = new Map<number, SimRequest>();
  readonly #runs = new Map<number, SimRun>();
  #nextRequestId: number;
  #nextRunId: number;

  constructor(options: SimStateOptions) {
    this.#catalogue = options.catalogue;
    this.#nextRequestId = options.firstRequestId;
    this.#nextRunId = options.firstRunId;
  }

  createRequest(
    token: string,
    filters: Readonly<Record<string, string>>,
    search: ResolvedSearch,
    behaviour: Behaviour,
    now: number,
  ): SimRequest {
    const dpRequestId = this.#nextRequestId++;
    const runIds: number[] = [];
    for (let ordinal = 0; ordinal < behaviour.runs; ordinal++) {
      const dpRunId = this.#nextRunId++;
      const { files, meta } = buildRunFiles(this.#catalogue, filters, search, behaviour, ordinal);
      this.#runs.set(dpRunId, {
        dpRunId,
        dpRequestId,
        files,
        meta,
        startedAt: null,
        cancelledAt: null,
        removed: new Set(),
      });
      runIds.push(dpRunId);
    }
    const request: SimRequest = { dpRequestId, token, createdAt: now, filters, search, behaviour, runIds, ranAt: null };
    this.#requests.set(dpRequestId, request);
    return request;
  }

  /** The request, if it exists and belongs to `token` (pass null to skip the ownership check). */
  request(dpRequestId: number, token: string | null): SimRequest | null {
    const r = this.#requests.get(dpRequestId);
    return r && (token === null || r.token === token) ? r : null;
  }

  /** The run, if it exists and its request belongs to `token` (pass null to skip the ownership check). */
  run(dpRunId: number, token: string | null): SimRun | null {
    const run = this.#runs.get(dpRunId);
    if (!run) return null;
    return this.request(run.dpRequestId, token) ? run : null;
  }

  runsOf(request: SimRequest): SimRun[] {
    return request.runIds.map((id) => {
      const run = this.#runs.get(id);
      if (!run) throw new Error(`run ${id} of request ${request.dpRequestId} is missing`);
      return run;
    });
  }

  requestOf(run: SimRun): SimRequest {
    const r = this.#requests.get(run.dpRequestId);
    if (!r) throw new Error(`request ${run.dpRequestId} of run ${run.dpRunId} is missing`);
    return r;
  }

  statusOf(run: SimRun, now: number): RunStatus {
    return runStatusAt(run, this.requestOf(run).behaviour, now);
  }

  allRequests(): SimRequest[] {
    return [...this.#requests.values()];
  }

  // ---- the only mutations ----

  /** `run`: queues every run of the request. */
  startRequest(request: SimRequest, now: number): void {
    request.ranAt = now;
    for (const run of this.runsOf(request)) {
      run.startedAt = now;
      run.cancelledAt = null;
    }
  }

  /** `cancel`: stops the queued and running runs; returns them. */
  cancelRequest(request: SimRequest, now: number): SimRun[] {
    const cancelled: SimRun[] = [];
    for (const run of this.runsOf(request)) {
      const status = this.statusOf(run, now);
      if (status === RUN_STATUS.queued || status === RUN_STATUS.running) {
        run.cancelledAt = now;
        cancelled.push(run);
      }
    }
    return cancelled;
  }

  /** `restart`: queues the cancelled runs again, from scratch; returns them. */
  restartRequest(request: SimRequest, now: number): SimRun[] {
    const restarted: SimRun[] = [];
    for (const run of this.runsOf(request)) {
      if (this.statusOf(run, now) === RUN_STATUS.cancelled) {
        run.cancelledAt = null;
        run.startedAt = now;
        run.removed.clear();
        restarted.push(run);
      }
    }
    return restarted;
  }

  /** Deletes a file from the server (after a deleting download, or to simulate clean-up). */
  removeFile(run: SimRun, index: FileIndex): void {
    run.removed.add(index);
  }
}
