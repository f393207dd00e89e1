/**
 * The simulator: an HTTP server that behaves like DataStream's public OData v4 API over a deterministic,
 * generated dataset, plus what a test needs around it — faults, settings, the recorded calls, and the ground truth
 * (what a complete pull should yield), computed by the simulator's own code.
 *
 *   const sim = await startDataStreamSimulator({ locations: 6, observationsPerLocation: [50, 200] });
 *   sim.url      // "http://127.0.0.1:43817/v1/odata/v4" — the API base, no trailing slash
 *   sim.apiKey   // a key it accepts, for the x-api-key header
 *   await sim.close();
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallLog, type CallStats, type RecordedCall } from './call-log.js';
import type { GroundTruthOptions, SimControl } from './control-endpoints.js';
import type { Row, SimData } from './dataset.js';
import { FaultPlan, type FaultHandle, type FaultRule } from './faults.js';
import { DEFAULT_DATASET_SHAPE, generateData, type DatasetShape } from './generate-data.js';
import { createClientErrorListener, createRequestListener } from './http-handler.js';
import { QueryEngine, groundTruthRows } from './query-engine.js';
import { RateLimiter, type RateLimitSettings } from './rate-limiter.js';
import { API_BASE_PATH, SELECTABLE_FIELDS, type Resource } from './resources.js';
import {
  DEFAULT_SERVICE_SETTINGS,
  applySettingsPatch,
  type ServiceSettings,
  type SettingsPatch,
} from './service-settings.js';
import { parseFilter } from './filter-syntax.js';

/** The API key the simulator accepts when no `apiKeys` option is given. */
export const DEFAULT_DATASTREAM_API_KEY = 'datastream-sim-key-0000';

export interface DataStreamSimulatorOptions extends Partial<Omit<ServiceSettings, 'rateLimit'>> {
  /** TCP port; default 0 (an ephemeral port chosen by the OS — read it back from `port` / `url`). */
  port?: number;
  /** Interface to listen on; default '127.0.0.1'. */
  host?: string;
  /** Keys accepted in `x-api-key`; any other answers 403, none 401. Default [DEFAULT_DATASTREAM_API_KEY]. */
  apiKeys?: readonly string[];
  /** Seed of the generated data; default 1. */
  seed?: number;
  /** Number of datasets (DOIs); default 5. */
  datasets?: number;
  /** Number of monitoring locations; default 40. */
  locations?: number;
  /** Observations per location: [min, max] drawn uniformly, or one exact number. Default [5000, 15000]. */
  observationsPerLocation?: readonly [number, number] | number;
  /**
   * The politeness limit (2 requests a second, 1 in flight, per key, by default): false turns it off, an object
   * changes parts of it (see RateLimitSettings). Default on.
   */
  rateLimit?: Partial<RateLimitSettings> | boolean;
  /** Called as each API call finishes (for logging). */
  onCall?: (call: RecordedCall) => void;
}

export interface SimulatorSummary {
  seed: number;
  datasets: number;
  locations: number;
  observations: number;
  /** DOIs in Metadata's order. */
  dois: string[];
  /** Location Ids, ascending. */
  locationIds: number[];
  /** Smallest and largest observation Id, or null without observations. */
  observationIds: [number, number] | null;
}

const SHAPE_KEYS = new Set([
  'port',
  'host',
  'apiKeys',
  'seed',
  'datasets',
  'locations',
  'observationsPerLocation',
  'onCall',
]);

function shapeFrom(options: DataStreamSimulatorOptions): DatasetShape {
  const per = options.observationsPerLocation ?? DEFAULT_DATASET_SHAPE.observationsPerLocation;
  return {
    seed: options.seed ?? DEFAULT_DATASET_SHAPE.seed,
    datasets: options.datasets ?? DEFAULT_DATASET_SHAPE.datasets,
    locations: options.locations ?? DEFAULT_DATASET_SHAPE.locations,
    observationsPerLocation: typeof per === 'number' ? [per, per] : per,
  };
}

export class DataStreamSimulator implements SimControl {
  readonly #server: Server;
  readonly #data: SimData;
  readonly #engine: QueryEngine;
  readonly #faults = new FaultPlan();
  readonly #log = new CallLog();
  readonly #limiter = new RateLimiter();
  readonly #apiKeys: ReadonlySet<string>;
  readonly #host: string;
  readonly #shape: DatasetShape;
  #settings: ServiceSettings;
  #faultSerial = 0;
  #port = 0;
  #closing: Promise<void> | null = null;

  private constructor(options: DataStreamSimulatorOptions) {
    const keys = options.apiKeys ?? [DEFAULT_DATASTREAM_API_KEY];
    if (keys.length === 0 || keys.some((k) => k === '')) throw new RangeError('apiKeys must be non-empty strings');
    this.#apiKeys = new Set(keys);
    this.#host = options.host ?? '127.0.0.1';
    const settingsPatch: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(options))
      if (!SHAPE_KEYS.has(key) && value !== undefined) settingsPatch[key] = value;
    this.#settings = applySettingsPatch({ ...DEFAULT_SERVICE_SETTINGS }, settingsPatch);
    this.#shape = shapeFrom(options);
    this.#data = generateData(this.#shape);
    this.#engine = new QueryEngine(this.#data);
    const deps = {
      engine: this.#engine,
      settings: () => this.#settings,
      apiKeys: () => this.#apiKeys,
      limiter: this.#limiter,
      faults: this.#faults,
      log: this.#log,
      onCall: options.onCall,
      control: this,
      nextFaultSerial: () => ++this.#faultSerial,
    };
    this.#server = createServer({ keepAliveTimeout: 5000 }, createRequestListener(deps));
    this.#server.on('clientError', createClientErrorListener(deps));
  }

  /** Generates the data, then starts listening. */
  static async start(options: DataStreamSimulatorOptions = {}): Promise<DataStreamSimulator> {
    const sim = new DataStreamSimulator(options);
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

  get port(): number {
    return this.#port;
  }

  /** `http://127.0.0.1:<port>`: where next links point and `/_sim/` lives. */
  get origin(): string {
    const host = this.#host.includes(':') ? `[${this.#host}]` : this.#host;
    return `http://${host}:${this.#port}`;
  }

  /** The API base, like `https://api.datastream.org/v1/odata/v4`: `http://127.0.0.1:<port>/v1/odata/v4`. */
  get url(): string {
    return `${this.origin}${API_BASE_PATH}`;
  }

  /** A key the simulator accepts: the first of `apiKeys`. */
  get apiKey(): string {
    return [...this.#apiKeys][0] ?? DEFAULT_DATASTREAM_API_KEY;
  }

  /** The shape the data was generated from. */
  get shape(): Readonly<DatasetShape> {
    return this.#shape;
  }

  settings(): ServiceSettings {
    return { ...this.#settings };
  }

  /** Changes settings for the calls that follow; checks the whole patch first. Also `POST /_sim/config`. */
  configure(patch: SettingsPatch): void {
    this.#settings = applySettingsPatch(this.#settings, patch);
  }

  /** Adds a fault rule; rules apply in the order added. */
  injectFault(rule: FaultRule): FaultHandle {
    return this.#faults.add(rule);
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  faults(): unknown[] {
    return this.#faults.describe();
  }

  /** Every API call received so far, oldest first. */
  calls(): RecordedCall[] {
    return this.#log.calls();
  }

  stats(): CallStats {
    return this.#log.stats();
  }

  clearCalls(): void {
    this.#log.clear();
  }

  summary(): SimulatorSummary {
    const ids = this.#data.observations.ids;
    const count = this.#data.observations.count;
    return {
      seed: this.#shape.seed,
      datasets: this.#data.datasets.length,
      locations: this.#data.locations.length,
      observations: count,
      dois: this.#engine.datasetsInOrder.map((d) => d.doi),
      locationIds: this.#data.locations.map((l) => l.id),
      observationIds: count > 0 ? [ids[0] ?? 0, ids[count - 1] ?? 0] : null,
    };
  }

  /**
   * Exactly the rows a complete pull of `resource` with this `$filter` and `$select` yields, in Id order, with the
   * current `omitNulls` setting. Computed row by row, independently of the paging code. Throws on a filter or
   * field the API would refuse.
   */
  rows(resource: Resource, options: GroundTruthOptions = {}): Row[] {
    const select = options.select ?? null;
    const unknown = select?.find((f) => !SELECTABLE_FIELDS[resource].includes(f));
    if (unknown !== undefined) throw new RangeError(`${resource} has no field ${unknown}`);
    return groundTruthRows(this.#engine, resource, {
      filter: options.filter ?? null,
      select,
      omitNulls: this.#settings.omitNulls,
    });
  }

  /** The exact number of rows `rows(resource, { filter })` returns (what `$count=true` answers, unless estimating). */
  count(resource: Resource, filter: string | null = null): number {
    return this.#engine.count(resource, filter ? parseFilter(filter, resource) : null);
  }

  /** The Ids `/Locations?$select=Id&$filter=<filter>` yields, ascending: a client's partitions. */
  locationIds(filter: string | null = null): number[] {
    return this.rows('Locations', { filter, select: ['Id'] }).map((r) => r['Id'] as number);
  }

  /** A dataset's full Metadata row, or undefined for an unknown DOI. */
  metadata(doi: string): Row | undefined {
    return this.#data.datasets.find((d) => d.doi === doi)?.metadata;
  }

  /** The DOIs, in Metadata's order. */
  dois(): string[] {
    return this.#engine.datasetsInOrder.map((d) => d.doi);
  }

  /** Stops listening and drops open connections. Safe to call twice. */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve, reject) => {
      this.#server.close((err) => (err ? reject(err) : resolve()));
      this.#server.closeAllConnections();
    });
    return this.#closing;
  }
}

/** Shorthand for {@link DataStreamSimulator.start}. */
export const startDataStreamSimulator = (options?: DataStreamSimulatorOptions): Promise<DataStreamSimulator> =>
  DataStreamSimulator.start(options);
