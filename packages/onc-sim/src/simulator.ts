/**
 * The simulator itself: an HTTP server that behaves like ONC's dataProductDelivery, archivefile and discovery
 * services, plus the knobs a test needs (behaviour, archive and discovery options, faults, a controllable clock) and
 * the views it wants (recorded calls, runs, file contents, the archive's ground truth).
 *
 *   const sim = await OncSimulator.start();            // 127.0.0.1, ephemeral port
 *   const base = sim.url;                              // "http://127.0.0.1:43817/" — ONC's base URL
 *   … point the client at base with token sim.token …
 *   await sim.close();
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ArchiveFiles, type ArchiveFile } from './archive/archive-files.js';
import { defaultArchiveOptions, mergeArchiveOptions, type ArchiveOptions } from './archive/archive-options.js';
import { layerBehaviour, type Behaviour } from './behaviour.js';
import { CallLog, type CallStats, type RecordedCall } from './call-log.js';
import type { Catalogue } from './catalogue.js';
import { defaultCatalogue } from './default-catalogue.js';
import { systemClock, type Clock } from './clock.js';
import { fileContent, fileSha256, type FileSpec } from './file-content.js';
import { Chaos, type ChaosOptions } from './chaos.js';
import type { SimConfigPatch, SimControl } from './control-endpoints.js';
import { FaultPlan, type FaultHandle, type FaultRule } from './faults.js';
import {
  defaultDiscoveryOptions,
  mergeDiscoveryOptions,
  type DiscoveryOptions,
} from './discovery/discovery-options.js';
import { SERVICE_PATH, createRequestListener } from './http-handler.js';
import { formatOncDate, resolveOpenDateRange } from './onc-dates.js';
import { oncErrorText } from './onc-errors.js';
import { buildRunFiles } from './run-files.js';
import type { RunStatus } from './run-timeline.js';
import { resolveSearch } from './search.js';
import { SimState, type FileIndex, type SimRun } from './sim-state.js';

/** A token the simulator always accepts when no `tokens` option is given (then any non-empty token is accepted). */
export const DEFAULT_SIM_TOKEN = 'onc-sim-token-0000';

export interface OncSimulatorOptions {
  /** TCP port; default 0 (an ephemeral port chosen by the OS — read it back from `port` / `url`). */
  port?: number;
  /** Interface to listen on; default '127.0.0.1'. */
  host?: string;
  /** Tokens the service accepts; any other answers 401. Default: any non-empty token. */
  tokens?: readonly string[];
  /** What exists (locations, devices, products …); default {@link defaultCatalogue}. */
  catalogue?: Catalogue;
  /** Behaviour for every request, over the defaults (see behaviour.ts). Default {}. */
  behaviour?: Partial<Behaviour>;
  /** Behaviour for one request, from its filters (token removed); wins over everything else. Default none. */
  behaviourFor?: (filters: Readonly<Record<string, string>>) => Partial<Behaviour> | undefined;
  /** Time source for run progress and date checks; default the system clock. Pass a ManualClock to step time. */
  clock?: Clock;
  /** First dpRequestId handed out; default 3000001. */
  firstRequestId?: number;
  /** First dpRunId handed out; default 10000001. */
  firstRunId?: number;
  /** Delay before every service answer, in ms (real time). Default 0. */
  latencyMs?: number;
  /** Seeded random faults (see chaos.ts). Default none. */
  chaos?: ChaosOptions;
  /** Called as each call finishes (for logging); the token is already redacted. */
  onCall?: (call: RecordedCall) => void;
  /** How the archivefile service behaves, over {@link defaultArchiveOptions}. Default {}. */
  archive?: Partial<ArchiveOptions>;
  /** How the discovery services write their answers, over {@link defaultDiscoveryOptions}. Default {}. */
  discovery?: Partial<DiscoveryOptions>;
}

/** Which archive files {@link OncSimulator.archiveFiles} describes. */
export interface ArchiveFilesQuery {
  /** With `deviceCategoryCode`: the files a listing by location covers. */
  locationCode?: string;
  deviceCategoryCode?: string;
  /** The files a listing by device covers (instead of location and category). */
  deviceCode?: string;
  /** Files starting at or after `dateFrom` and before `dateTo`, in any form a listing accepts (durations too). */
  dateFrom?: string;
  dateTo?: string;
  /** Only names ending in `.<fileExtension>`, as the listing's own filter. */
  fileExtension?: string;
  /**
   * Also the files that exist but a listing made now leaves out: not archived yet, or withheld as too recent.
   * Default false: exactly what paging through a listing now returns.
   */
  includePending?: boolean;
}

/** An archive file as the simulator knows it: what a listing says and what a download serves. */
export interface ArchiveFileTruth {
  name: string;
  deviceCode: string;
  dataProductCode: string;
  /** ISO 8601, as listings write them. */
  dateFrom: string;
  dateTo: string;
  archivedDate: string;
  /** Size as listed (the archived, possibly compressed, size). */
  fileSize: number;
  uncompressedFileSize: number;
  compression: 'gz' | null;
  /** Bytes a download serves now (depends on `archive.gzipDownload`), and their SHA-256 (hex). */
  sizeBytes: number;
  sha256: string;
  /** Whether a listing made now includes it (archived and not withheld). */
  listed: boolean;
}

/** A file that any order of given filters serves. */
export interface ExpectedFile {
  /** The run's ordinal within the request, from 0. */
  run: number;
  index: FileIndex;
  name: string;
  sizeBytes: number;
  sha256: string;
}

export interface FileSnapshot {
  /** 1..n, or 'meta'. */
  index: FileIndex;
  name: string;
  sizeBytes: number;
  /** Deleted after a download with deleteFile true/absent, or removed with `removeFile`. */
  removed: boolean;
}

export interface RunSnapshot {
  dpRunId: number;
  dpRequestId: number;
  status: RunStatus;
  files: FileSnapshot[];
  meta: FileSnapshot | null;
}

export interface RequestSnapshot {
  dpRequestId: number;
  /** The request's parameters, token and method left out. */
  filters: Record<string, string>;
  runIds: number[];
  /** Whether `run` has been called. */
  ran: boolean;
  behaviour: Behaviour;
}

export class OncSimulator implements SimControl {
  readonly #server: Server;
  readonly #state: SimState;
  readonly #faults = new FaultPlan();
  readonly #log = new CallLog();
  readonly #stalled = new Set<ServerResponse>();
  readonly #clock: Clock;
  readonly #catalogue: Catalogue;
  readonly #tokens: readonly string[] | null;
  readonly #behaviourFor: OncSimulatorOptions['behaviourFor'];
  readonly #shaCache = new Map<string, string>();
  readonly #archiveFiles: ArchiveFiles;
  #behaviour: Partial<Behaviour>;
  #archiveOptions: ArchiveOptions = { ...defaultArchiveOptions };
  #discoveryOptions: DiscoveryOptions = { ...defaultDiscoveryOptions };
  #latencyMs = 0;
  #chaos: Chaos | null = null;
  #port = 0;
  #closing: Promise<void> | null = null;
  #host: string;

  private constructor(options: OncSimulatorOptions) {
    this.#catalogue = options.catalogue ?? defaultCatalogue;
    this.#clock = options.clock ?? systemClock;
    this.#tokens = options.tokens ?? null;
    if (this.#tokens?.length === 0) throw new RangeError('OncSimulator: tokens must not be empty');
    this.#behaviour = {};
    this.#behaviourFor = options.behaviourFor;
    this.configure({
      behaviour: options.behaviour ?? {},
      latencyMs: options.latencyMs ?? 0,
      chaos: options.chaos ?? null,
      archive: options.archive ?? {},
      discovery: options.discovery ?? {},
    });
    this.#archiveFiles = new ArchiveFiles(this.#catalogue, () => this.#archiveOptions);
    this.#host = options.host ?? '127.0.0.1';
    this.#state = new SimState({
      catalogue: this.#catalogue,
      firstRequestId: options.firstRequestId ?? 3_000_001,
      firstRunId: options.firstRunId ?? 10_000_001,
    });
    this.#server = createServer(
      createRequestListener({
        state: this.#state,
        catalogue: this.#catalogue,
        clock: this.#clock,
        faults: this.#faults,
        chaos: () => this.#chaos,
        latencyMs: () => this.#latencyMs,
        log: this.#log,
        tokens: this.#tokens ? new Set(this.#tokens) : null,
        behaviourFor: (filters, productBehaviour) => this.#behaviourOf(filters, productBehaviour),
        onCall: options.onCall,
        stalled: this.#stalled,
        control: this,
        archiveFiles: this.#archiveFiles,
        archiveOptions: () => this.#archiveOptions,
        discoveryOptions: () => this.#discoveryOptions,
        archiveDelivery: () => {
          const b = layerBehaviour(this.#behaviour);
          return {
            filenameQuoting: b.filenameQuoting,
            bandwidthBytesPerSec: b.bandwidthBytesPerSec,
            rangeSupport: this.#archiveOptions.rangeSupport ?? b.rangeSupport,
          };
        },
      }),
    );
  }

  /** Creates a simulator and starts listening. */
  static async start(options: OncSimulatorOptions = {}): Promise<OncSimulator> {
    const sim = new OncSimulator(options);
    await new Promise<void>((resolve, reject) => {
      sim.#server.once('error', reject);
      sim.#server.listen(options.port ?? 0, sim.#host, () => {
        sim.#server.off('error', reject);
        resolve();
      });
    });
    sim.#port = (sim.#server.address() as AddressInfo).port;
    return sim;
  }

  /** The port listened on. */
  get port(): number {
    return this.#port;
  }

  /** ONC's base URL for this simulator, with a trailing slash: `http://127.0.0.1:<port>/`. */
  get url(): string {
    const host = this.#host.includes(':') ? `[${this.#host}]` : this.#host;
    return `http://${host}:${this.#port}/`;
  }

  /** The service URL: `<url>api/dataProductDelivery`. */
  get serviceUrl(): string {
    return `${this.url}${SERVICE_PATH.slice(1)}`;
  }

  /** A token the simulator accepts: the first of `tokens`, or {@link DEFAULT_SIM_TOKEN}. */
  get token(): string {
    return this.#tokens?.[0] ?? DEFAULT_SIM_TOKEN;
  }

  get clock(): Clock {
    return this.#clock;
  }

  /** Changes the simulator-wide behaviour for requests made from now on (merged over the current one). */
  setBehaviour(behaviour: Partial<Behaviour>): void {
    this.configure({ behaviour });
  }

  /**
   * Changes settings for what follows: behaviour, archive and discovery options (each merged), latency, chaos (null
   * turns it off). Validates the whole patch before applying any of it. Also reachable as `POST /_sim/config`.
   */
  configure(patch: SimConfigPatch): void {
    const behaviour = { ...this.#behaviour, ...patch.behaviour };
    layerBehaviour(behaviour);
    const latency = patch.latencyMs ?? this.#latencyMs;
    if (!(latency >= 0)) throw new RangeError(`latencyMs must be >= 0, got ${latency}`);
    const chaos = patch.chaos === undefined ? this.#chaos : patch.chaos === null ? null : new Chaos(patch.chaos);
    const archive = mergeArchiveOptions(this.#archiveOptions, patch.archive);
    const discovery = mergeDiscoveryOptions(this.#discoveryOptions, patch.discovery);
    this.#behaviour = behaviour;
    this.#latencyMs = latency;
    this.#chaos = chaos;
    this.#archiveOptions = archive;
    this.#discoveryOptions = discovery;
  }

  /** The current archive options (defaults with every change applied). */
  get archiveOptions(): Readonly<ArchiveOptions> {
    return { ...this.#archiveOptions };
  }

  /** The current discovery options. */
  get discoveryOptions(): Readonly<DiscoveryOptions> {
    return { ...this.#discoveryOptions };
  }

  /**
   * The archive's files for a location and device category, or a device, between two dates, in listing order — by
   * default exactly what paging a listing to its end returns now. Each with its SHA-256, computed by streaming the
   * file (once per distinct file): keep ranges small when files are large. Also reachable as
   * `GET /_sim/archive-files?…`. Throws on codes or dates a listing would refuse.
   */
  archiveFiles(query: ArchiveFilesQuery): ArchiveFileTruth[] {
    const byDevice = query.deviceCode !== undefined;
    const devices = this.#catalogue.devices.filter((d) =>
      byDevice
        ? d.deviceCode === query.deviceCode
        : d.locationCode === query.locationCode && d.deviceCategoryCode === query.deviceCategoryCode,
    );
    if (devices.length === 0 && byDevice) throw new RangeError(`no device ${query.deviceCode ?? ''}`);
    if (!byDevice && (query.locationCode === undefined || query.deviceCategoryCode === undefined))
      throw new RangeError('archiveFiles needs locationCode and deviceCategoryCode, or deviceCode');
    const now = this.#clock.now();
    const range = resolveOpenDateRange(query.dateFrom, query.dateTo, now, {
      fromName: 'dateFrom',
      toName: 'dateTo',
      futureStart: 'allow',
    });
    if (!range.ok) throw new Error(`a listing would refuse these dates: ${oncErrorText(range.errors)}`);
    const files = this.#archiveFiles.walk({
      devices,
      fromMs: range.fromMs,
      toMs: range.toMs,
      archivedFromMs: -Infinity,
      archivedToMs: Infinity,
      fileExtension: query.fileExtension ?? null,
      dataProductCode: null,
      nowMs: now,
      includePending: query.includePending ?? false,
    });
    return [...files].map((f) => this.#truth(f, now));
  }

  /** SHA-256 (hex) of what a download of the named archive file serves now. Throws for a name the archive lacks. */
  archiveFileSha256(name: string): string {
    return this.#sha256(this.#archiveFiles.spec(this.#archiveFileOrThrow(name)));
  }

  /** The bytes a download of the named archive file serves now (in memory: for small files). */
  archiveFileContent(name: string): Buffer {
    return fileContent(this.#archiveFiles.spec(this.#archiveFileOrThrow(name)));
  }

  /** One archive file's ground truth, or null when the archive has no such file (yet). */
  archiveFile(name: string): ArchiveFileTruth | null {
    const file = this.#archiveFiles.find(name, this.#clock.now());
    return file ? this.#truth(file, this.#clock.now()) : null;
  }

  /** Adds a fault rule; rules apply in the order added. */
  injectFault(rule: FaultRule): FaultHandle {
    return this.#faults.add(rule);
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  /** Every call received so far (token redacted), oldest first. */
  calls(): RecordedCall[] {
    return this.#log.calls();
  }

  stats(): CallStats {
    return this.#log.stats();
  }

  clearCalls(): void {
    this.#log.clear();
  }

  requests(): RequestSnapshot[] {
    return this.#state.allRequests().map((r) => ({
      dpRequestId: r.dpRequestId,
      filters: { ...r.filters },
      runIds: [...r.runIds],
      ran: r.ranAt !== null,
      behaviour: r.behaviour,
    }));
  }

  /** A run as the simulator sees it, or null when there is no such run. */
  run(dpRunId: number): RunSnapshot | null {
    const run = this.#state.run(dpRunId, null);
    if (!run) return null;
    const snap = (index: FileIndex, f: FileSpec): FileSnapshot => ({
      index,
      name: f.name,
      sizeBytes: f.sizeBytes,
      removed: run.removed.has(index),
    });
    return {
      dpRunId,
      dpRequestId: run.dpRequestId,
      status: this.#state.statusOf(run, this.#clock.now()),
      files: run.files.map((f, i) => snap(i + 1, f)),
      meta: run.meta ? snap('meta', run.meta) : null,
    };
  }

  /** The exact bytes the simulator serves for a file (whether or not it has been removed). */
  fileContent(dpRunId: number, index: FileIndex): Buffer {
    return fileContent(this.#fileSpec(dpRunId, index));
  }

  /** SHA-256 (hex) of a file's bytes, computed without holding the file in memory (once per distinct file). */
  fileSha256(dpRunId: number, index: FileIndex): string {
    return this.#sha256(this.#fileSpec(dpRunId, index));
  }

  /**
   * The files any order of `filters` serves (with the current behaviour): names, sizes and SHA-256, for every run
   * ordinal. Content depends only on the filters, run ordinal and index, so a product ordered again yields the same.
   * Throws when ONC would refuse the filters.
   */
  expectedFiles(filters: Readonly<Record<string, string>>): ExpectedFile[] {
    const own: Record<string, string> = {};
    for (const [k, v] of Object.entries(filters)) if (k !== 'token' && k !== 'method') own[k] = v;
    const resolved = resolveSearch(this.#catalogue, own, this.#clock.now());
    if (!resolved.ok) throw new Error(`ONC would refuse these filters: ${oncErrorText(resolved.errors)}`);
    const behaviour = this.#behaviourOf(own, resolved.search.product.behaviour);
    const out: ExpectedFile[] = [];
    for (let run = 0; run < behaviour.runs; run++) {
      const { files, meta } = buildRunFiles(this.#catalogue, own, resolved.search, behaviour, run);
      const entries: [FileIndex, FileSpec][] = files.map((f, i) => [i + 1, f]);
      if (meta) entries.push(['meta', meta]);
      for (const [index, f] of entries)
        out.push({ run, index, name: f.name, sizeBytes: f.sizeBytes, sha256: this.#sha256(f) });
    }
    return out;
  }

  /** Deletes a file from the server, as ONC's clean-up does; later downloads answer 410. */
  removeFile(dpRunId: number, index: FileIndex): void {
    const run = this.#runOrThrow(dpRunId);
    this.#fileSpec(dpRunId, index);
    this.#state.removeFile(run, index);
  }

  /** Stops listening and drops every open connection (including stalled downloads). Safe to call twice. */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve, reject) => {
      for (const res of this.#stalled) res.destroy();
      this.#stalled.clear();
      this.#server.close((err) => (err ? reject(err) : resolve()));
      this.#server.closeAllConnections();
    });
    return this.#closing;
  }

  #behaviourOf(filters: Readonly<Record<string, string>>, productBehaviour: Partial<Behaviour> | undefined): Behaviour {
    return layerBehaviour(this.#behaviour, productBehaviour, this.#behaviourFor?.(filters));
  }

  #archiveFileOrThrow(name: string): ArchiveFile {
    const file = this.#archiveFiles.find(name, this.#clock.now());
    if (!file) throw new RangeError(`the archive has no file ${name}`);
    return file;
  }

  #truth(file: ArchiveFile, now: number): ArchiveFileTruth {
    const spec = this.#archiveFiles.spec(file);
    return {
      name: file.filename,
      deviceCode: file.deviceCode,
      dataProductCode: file.dataProductCode,
      dateFrom: formatOncDate(file.dateFromMs),
      dateTo: formatOncDate(file.dateToMs),
      archivedDate: formatOncDate(file.archivedMs),
      fileSize: file.fileSize,
      uncompressedFileSize: file.uncompressedFileSize,
      compression: file.compression,
      sizeBytes: spec.sizeBytes,
      sha256: this.#sha256(spec),
      listed: file.archivedMs <= now && !file.withheld,
    };
  }

  #sha256(spec: FileSpec): string {
    const key = `${spec.seed}\u0000${spec.sizeBytes}\u0000${spec.name}\u0000${spec.gzipOf ? 'gzip' : ''}`;
    let hash = this.#shaCache.get(key);
    if (hash === undefined) {
      hash = fileSha256(spec);
      this.#shaCache.set(key, hash);
    }
    return hash;
  }

  #runOrThrow(dpRunId: number): SimRun {
    const run = this.#state.run(dpRunId, null);
    if (!run) throw new RangeError(`no run ${dpRunId}`);
    return run;
  }

  #fileSpec(dpRunId: number, index: FileIndex): FileSpec {
    const run = this.#runOrThrow(dpRunId);
    const spec = index === 'meta' ? run.meta : run.files[index - 1];
    if (!spec) throw new RangeError(`run ${dpRunId} has no file at index ${String(index)}`);
    return spec;
  }
}

/** Shorthand for {@link OncSimulator.start}. */
export const startOncSimulator = (options?: OncSimulatorOptions): Promise<OncSimulator> => OncSimulator.start(options);
