/**
 * The simulator itself: two HTTP servers — the WebCOOS API (`/webcoos/api/v1`) and the media host its element URLs
 * point at — plus the knobs a test needs (archive shape, sizes, faults, rate limit, late arrivals) and the views it
 * wants (recorded calls, peaks, the ground truth of every element with its sha256).
 *
 *   const sim = await WebcoosSimulator.start();   // 127.0.0.1, two ephemeral ports
 *   sim.url        // "http://127.0.0.1:43817/webcoos/api/v1"  (send Authorization: Token <sim.token>)
 *   sim.mediaUrl   // "http://127.0.0.1:43818"                 (files; no token)
 *   await sim.close();
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_ELEMENT_FIELD_NAMES, type DocumentContext, type ElementFieldNames } from './api-documents.js';
import { API_PATH, createApiListener, type ElementOrdering } from './api-handler.js';
import { instantMs, isoSeconds, parseDay, type Instant } from './archive-time.js';
import { CallLog, type RecordedCall, type SimHost, type SimStats } from './call-log.js';
import {
  DEFAULT_ASSETS,
  allServices,
  buildCatalogue,
  type AssetSpec,
  type CatalogueAsset,
  type CatalogueService,
} from './catalogue.js';
import type { SimControl } from './control-endpoints.js';
import {
  ElementArchive,
  defaultArchiveSettings,
  defaultSizeOf,
  elementMediaObject,
  type ElementSizeQuery,
  type SimElement,
} from './element-archive.js';
import { FaultPlan, type FaultHandle, type FaultRule } from './faults.js';
import { DEFAULT_INVENTORY_COLUMNS, isInventoryColumn, type InventoryColumn } from './inventory.js';
import { ListingInsertions, type InsertAfterPageRule } from './listing-insertions.js';
import { mediaBytes, mediaSha256Of, type MediaObject } from './media-content.js';
import { createMediaListener, resolveMediaKey, type MediaAuthorizationPolicy } from './media-handler.js';
import { RateLimiter, type RateLimitOptions } from './rate-limit.js';
import { validateConfigPatch, type SimConfigPatch } from './sim-config.js';

/** The token the simulator accepts when no `tokens` option is given. */
export const DEFAULT_WEBCOOS_TOKEN = 'webcoos-sim-token-0000';

export interface WebcoosSimulatorOptions {
  /** API port; default 0 (an ephemeral port — read it back from `port` / `url`). */
  port?: number;
  /** Media host port; default 0 (ephemeral — read it back from `mediaPort` / `mediaUrl`). */
  mediaPort?: number;
  /** Interface both servers listen on; default '127.0.0.1'. */
  host?: string;
  /** Tokens the API accepts (`Authorization: Token <token>`); default `[DEFAULT_WEBCOOS_TOKEN]`. */
  tokens?: readonly string[];
  /** The cameras; default {@link DEFAULT_ASSETS} (four, one without a time zone, two with live streams). */
  assets?: readonly AssetSpec[];
  archive?: {
    /** First day (`YYYY-MM-DD`, UTC) with elements, inclusive; default '2024-06-01'. */
    from?: string;
    /** Day after the last one (`YYYY-MM-DD`, UTC), exclusive; default '2024-06-08'. */
    to?: string;
    /** Days without any element, for every camera (cameras may add their own); default ['2024-06-03']. */
    emptyDays?: readonly string[];
  };
  /**
   * Daylight minutes per camera and day (0..1440): the number of one-minute stills, and the window in which the
   * ten-minute stills and videos fall. Default: 332..1,308, varying deterministically by camera and day.
   */
  stillsPerDay?: number | ((asset: string, day: string) => number);
  /** Bytes of every still; default 222,000..365,000, varying by element. */
  stillBytes?: number;
  /** Bytes of every video; default 55,000,000..70,000,000, varying by element. */
  videoBytes?: number;
  /** Bytes of an element; wins over `stillBytes` / `videoBytes`. Must be deterministic. */
  sizeOf?: (element: ElementSizeQuery) => number;
  /** Default page size of `GET /assets/`; default 3 (so the default four cameras take two pages). */
  assetsPageSize?: number;
  /** Default page size of `GET /elements/`; default 100. */
  elementsPageSize?: number;
  /** Largest `page_size` honoured on either listing (larger ones are cut to it); default 1000. */
  maxPageSize?: number;
  /** Inventory columns, in order; default {@link DEFAULT_INVENTORY_COLUMNS} (not pywebcoos's order). */
  inventoryColumns?: readonly InventoryColumn[];
  /** Order of an elements listing without `ordering=starting|-starting`; default '-starting' (newest first). */
  defaultOrdering?: ElementOrdering;
  /** Names of the element size and duration properties (unconfirmed); default `size`, `duration` in seconds. */
  elementFieldNames?: Partial<ElementFieldNames>;
  /**
   * Base URL written into element, service and thumbnail URLs, no trailing slash; default {@link
   * WebcoosSimulator.mediaUrl}. For clients that reach the media host under another name (a container, a proxy).
   */
  mediaPublicUrl?: string;
  /** Write the colons of file names as `%3A` in element URLs; default false (as is). */
  encodeColonsInUrls?: boolean;
  /** Delay before every API answer, in ms (real time); default 0. */
  latencyMs?: number;
  /** The API's rate limit (429 with Retry-After); default none. */
  rateLimit?: RateLimitOptions;
  /** Whether the media host honours Range; default true. */
  rangeSupport?: boolean;
  /** Speed limit per media download, bytes per second; default 0 (none). */
  mediaBytesPerSecond?: number;
  /** What the media host does with an Authorization header: 'reject' (400, as S3 does; default) or 'ignore'. */
  mediaAuthorization?: MediaAuthorizationPolicy;
  /** Late arrivals during listings, as {@link WebcoosSimulator.insertAfterPage}; default none. */
  insertDuringListing?: InsertAfterPageRule | readonly InsertAfterPageRule[];
  /** Called as each API or media call finishes (for logging). */
  onCall?: (call: RecordedCall) => void;
}

/** One element as the simulator knows it: what a client should end up with. */
export interface ArchiveElement {
  uuid: string;
  /** Service slug. */
  service: string;
  asset: string;
  product: string;
  /** File name, colons included. */
  name: string;
  /** The file's URL on the media host (as the API lists it). */
  url: string;
  /** Object key on the media host (the URL path, decoded, without the leading slash). */
  key: string;
  /** `2024-06-01T12:34:00Z`. */
  starting: string;
  ending: string | null;
  sizeBytes: number;
  durationSeconds: number | null;
  mimeType: string;
  /** Inserted after start rather than generated. */
  inserted: boolean;
  /** SHA-256 (hex) of the file's bytes; null only when asked for without it. */
  sha256: string | null;
}

/** A service of the catalogue. */
export interface ServiceInfo {
  slug: string;
  uuid: string;
  asset: string;
  product: string;
  type: 'S3Service' | 'StreamingService';
}

export interface InsertionHandle {
  /** Listings the rule will still affect. */
  remaining(): number;
  /** Elements the rule has inserted so far, in starting order. */
  inserted(): ArchiveElement[];
  /** Withdraws the rule (inserted elements stay). */
  remove(): void;
}

const positiveInt = (name: string, value: number): number => {
  if (!(Number.isInteger(value) && value >= 1))
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
};

function sizeFunction(options: WebcoosSimulatorOptions): (e: ElementSizeQuery) => number {
  if (options.sizeOf) return options.sizeOf;
  const { stillBytes, videoBytes } = options;
  for (const [name, v] of [['stillBytes', stillBytes] as const, ['videoBytes', videoBytes] as const])
    if (v !== undefined && !(Number.isSafeInteger(v) && v >= 0))
      throw new RangeError(`${name} must be a non-negative integer, got ${v}`);
  return (e) => (e.kind === 'video' ? videoBytes : stillBytes) ?? defaultSizeOf(e);
}

export class WebcoosSimulator implements SimControl {
  readonly #apiServer: Server;
  readonly #mediaServer: Server;
  readonly #host: string;
  readonly #tokens: readonly string[];
  readonly #catalogue: CatalogueAsset[];
  readonly #archive: ElementArchive;
  readonly #faults = new FaultPlan();
  readonly #log = new CallLog();
  readonly #insertions: ListingInsertions;
  readonly #fieldNames: ElementFieldNames;
  readonly #encodeColons: boolean;
  readonly #mediaPublicUrl: string | null;
  readonly #shaCache = new Map<string, string>();
  #latencyMs = 0;
  #rateLimiter: RateLimiter | null = null;
  #rangeSupport = true;
  #mediaBytesPerSecond = 0;
  #mediaAuthorization: MediaAuthorizationPolicy = 'reject';
  #port = 0;
  #mediaPort = 0;
  #closing: Promise<void> | null = null;

  private constructor(options: WebcoosSimulatorOptions) {
    this.#host = options.host ?? '127.0.0.1';
    this.#tokens = options.tokens ?? [DEFAULT_WEBCOOS_TOKEN];
    if (this.#tokens.length === 0 || this.#tokens.some((t) => !/^\S+$/.test(t)))
      throw new RangeError('tokens must be a non-empty list of tokens without spaces');
    this.#catalogue = buildCatalogue(options.assets ?? DEFAULT_ASSETS);
    const defaults = defaultArchiveSettings();
    const perDay = options.stillsPerDay;
    this.#archive = new ElementArchive(allServices(this.#catalogue), {
      fromMs: options.archive?.from === undefined ? defaults.fromMs : parseDay(options.archive.from),
      toMs: options.archive?.to === undefined ? defaults.toMs : parseDay(options.archive.to),
      emptyDays: options.archive?.emptyDays
        ? new Set(options.archive.emptyDays.map((d) => (parseDay(d), d)))
        : defaults.emptyDays,
      stillsPerDay: perDay === undefined ? defaults.stillsPerDay : typeof perDay === 'number' ? () => perDay : perDay,
      sizeOf: sizeFunction(options),
    });
    this.#insertions = new ListingInsertions(this.#archive);
    const columns = options.inventoryColumns ?? DEFAULT_INVENTORY_COLUMNS;
    if (columns.length === 0 || columns.some((c) => !isInventoryColumn(c)) || new Set(columns).size !== columns.length)
      throw new RangeError('inventoryColumns must be distinct known column names');
    this.#fieldNames = { ...DEFAULT_ELEMENT_FIELD_NAMES, ...options.elementFieldNames };
    this.#encodeColons = options.encodeColonsInUrls ?? false;
    this.#mediaPublicUrl = options.mediaPublicUrl?.replace(/\/+$/, '') ?? null;
    if (this.#mediaPublicUrl !== null && !/^https?:\/\/[^/]+/.test(this.#mediaPublicUrl))
      throw new RangeError(`mediaPublicUrl must be an http(s) URL, got ${this.#mediaPublicUrl}`);
    const maxPageSize = positiveInt('maxPageSize', options.maxPageSize ?? 1000);
    const defaultOrdering = options.defaultOrdering ?? '-starting';
    if (defaultOrdering !== 'starting' && defaultOrdering !== '-starting')
      throw new RangeError(`defaultOrdering must be 'starting' or '-starting', got ${String(defaultOrdering)}`);
    this.configure({
      latencyMs: options.latencyMs ?? 0,
      rateLimit: options.rateLimit ?? null,
      rangeSupport: options.rangeSupport ?? true,
      mediaBytesPerSecond: options.mediaBytesPerSecond ?? 0,
      mediaAuthorization: options.mediaAuthorization ?? 'reject',
    });
    const insertions = options.insertDuringListing;
    for (const rule of insertions === undefined ? [] : Array.isArray(insertions) ? insertions : [insertions])
      this.#insertions.add(rule as InsertAfterPageRule);

    this.#apiServer = createServer(
      createApiListener({
        catalogue: this.#catalogue,
        archive: this.#archive,
        log: this.#log,
        faults: this.#faults,
        insertions: this.#insertions,
        tokens: new Set(this.#tokens),
        assetPageSizes: { defaultPageSize: positiveInt('assetsPageSize', options.assetsPageSize ?? 3), maxPageSize },
        elementPageSizes: {
          defaultPageSize: positiveInt('elementsPageSize', options.elementsPageSize ?? 100),
          maxPageSize,
        },
        inventoryColumns: columns,
        defaultOrdering,
        live: () => ({ latencyMs: this.#latencyMs, rateLimiter: this.#rateLimiter }),
        documents: () => this.#documents(),
        onCall: options.onCall,
        control: this,
      }),
    );
    this.#mediaServer = createServer(
      createMediaListener({
        archive: this.#archive,
        log: this.#log,
        faults: this.#faults,
        live: () => ({
          rangeSupport: this.#rangeSupport,
          bytesPerSecond: this.#mediaBytesPerSecond,
          authorization: this.#mediaAuthorization,
        }),
        onCall: options.onCall,
      }),
    );
  }

  /** Creates a simulator and starts both servers. */
  static async start(options: WebcoosSimulatorOptions = {}): Promise<WebcoosSimulator> {
    const sim = new WebcoosSimulator(options);
    const listen = (server: Server, port: number) =>
      new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, sim.#host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      });
    try {
      sim.#port = await listen(sim.#apiServer, options.port ?? 0);
      sim.#mediaPort = await listen(sim.#mediaServer, options.mediaPort ?? 0);
    } catch (err) {
      await sim.close();
      throw err;
    }
    return sim;
  }

  get port(): number {
    return this.#port;
  }

  get mediaPort(): number {
    return this.#mediaPort;
  }

  /** The API's base URL, no trailing slash: `http://127.0.0.1:<port>/webcoos/api/v1`. */
  get url(): string {
    return `${this.#origin(this.#port)}${API_PATH}`;
  }

  /** The media host's base URL, no trailing slash: `http://127.0.0.1:<mediaPort>`. */
  get mediaUrl(): string {
    return this.#origin(this.#mediaPort);
  }

  /** The media base URL written into documents: `mediaPublicUrl` if given, else {@link mediaUrl}. */
  get mediaPublicUrl(): string {
    return this.#mediaPublicUrl ?? this.mediaUrl;
  }

  /** Base of the control endpoints: `http://127.0.0.1:<port>/_sim`. */
  get controlUrl(): string {
    return `${this.#origin(this.#port)}/_sim`;
  }

  /** A token the API accepts: the first of `tokens`. */
  get token(): string {
    return this.#tokens[0] ?? DEFAULT_WEBCOOS_TOKEN;
  }

  /** Changes settings for what follows; validates the whole patch before applying any of it. */
  configure(patch: SimConfigPatch): void {
    validateConfigPatch(patch);
    if (patch.latencyMs !== undefined) this.#latencyMs = patch.latencyMs;
    if (patch.rateLimit !== undefined) this.#rateLimiter = patch.rateLimit ? new RateLimiter(patch.rateLimit) : null;
    if (patch.rangeSupport !== undefined) this.#rangeSupport = patch.rangeSupport;
    if (patch.mediaBytesPerSecond !== undefined) this.#mediaBytesPerSecond = patch.mediaBytesPerSecond;
    if (patch.mediaAuthorization !== undefined) this.#mediaAuthorization = patch.mediaAuthorization;
  }

  /** Adds a fault rule; rules apply in the order added. */
  injectFault(rule: FaultRule): FaultHandle {
    return this.#faults.add(rule);
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  /** Every call received (both hosts, or one), oldest first. */
  calls(host?: SimHost): RecordedCall[] {
    return this.#log.calls(host);
  }

  clearCalls(): void {
    this.#log.clear();
  }

  /** Per host: calls, peak concurrency (media: concurrent downloads), most calls within any one second. */
  stats(): SimStats {
    return this.#log.stats();
  }

  /** Every service, file services and streams alike. */
  services(): ServiceInfo[] {
    return allServices(this.#catalogue).map((s) => ({
      slug: s.slug,
      uuid: s.uuid,
      asset: s.asset.slug,
      product: s.productSlug,
      type: s.type,
    }));
  }

  /**
   * The elements of a service (slug or uuid) starting in `[from, to)` — every one, in starting order, with its
   * sha256 unless `{ sha256: false }`. Throws a RangeError for an unknown service.
   */
  elements(service: string, from?: Instant, to?: Instant, options: { sha256?: boolean } = {}): ArchiveElement[] {
    const s = this.#service(service);
    const list = this.#archive.list(
      s,
      from === undefined ? null : instantMs(from),
      to === undefined ? null : instantMs(to),
    );
    return list.map((e) => this.#describe(e, options.sha256 ?? true));
  }

  /**
   * Adds elements to a file service starting at these instants (whole seconds), as if they arrived late; they show
   * in listings, inventories, service totals and on the media host from now on. Throws if one is already taken.
   */
  insertElements(service: string, startings: readonly Instant[]): ArchiveElement[] {
    return this.#archive.insert(this.#service(service), startings.map(instantMs)).map((e) => this.#describe(e, true));
  }

  /** After page `afterPage` of a listing of the service is served, `count` new elements appear near its front. */
  insertAfterPage(rule: InsertAfterPageRule): InsertionHandle {
    if (rule.service !== undefined) this.#service(rule.service);
    const handle = this.#insertions.add(rule);
    return {
      remaining: () => handle.remaining(),
      inserted: () => handle.inserted().map((e) => this.#describe(e, true)),
      remove: () => handle.remove(),
    };
  }

  clearInsertions(): void {
    this.#insertions.clear();
  }

  /** SHA-256 (hex) of what the media host serves at a URL (absolute, or a path), or null when it serves nothing. */
  mediaSha256(url: string): string | null {
    const object = this.#mediaObject(url);
    return object ? this.#sha256(object) : null;
  }

  /** The exact bytes the media host serves at a URL, or null; for tests with small files. */
  mediaContent(url: string): Buffer | null {
    const object = this.#mediaObject(url);
    return object ? mediaBytes(object) : null;
  }

  /** Stops both servers and drops every open connection (stalled downloads included). Safe to call twice. */
  close(): Promise<void> {
    const stop = (server: Server) =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    this.#closing ??= Promise.all([stop(this.#apiServer), stop(this.#mediaServer)]).then(() => undefined);
    return this.#closing;
  }

  #origin(port: number): string {
    const host = this.#host.includes(':') ? `[${this.#host}]` : this.#host;
    return `http://${host}:${port}`;
  }

  #documents(): DocumentContext {
    return {
      archive: this.#archive,
      mediaUrl: this.mediaPublicUrl,
      fieldNames: this.#fieldNames,
      encodeColons: this.#encodeColons,
    };
  }

  #service(id: string): CatalogueService {
    const service = allServices(this.#catalogue).find((s) => s.slug === id || s.uuid === id);
    if (!service) throw new RangeError(`no service ${id}`);
    return service;
  }

  #mediaObject(url: string): MediaObject | null {
    let key: string;
    try {
      key = decodeURIComponent(new URL(url, `${this.mediaUrl}/`).pathname.replace(/^\/+/, ''));
    } catch {
      return null;
    }
    return resolveMediaKey(this.#archive, key)?.object ?? null;
  }

  #sha256(object: MediaObject): string {
    const cacheKey = `${object.seed}\u0000${object.sizeBytes}\u0000${object.mimeType}`;
    let hash = this.#shaCache.get(cacheKey);
    if (hash === undefined) {
      hash = mediaSha256Of(object);
      this.#shaCache.set(cacheKey, hash);
    }
    return hash;
  }

  #describe(e: SimElement, withSha256: boolean): ArchiveElement {
    const key = e.key;
    return {
      uuid: e.uuid,
      service: e.service.slug,
      asset: e.service.asset.slug,
      product: e.service.productSlug,
      name: e.name,
      url: `${this.mediaPublicUrl}/${this.#encodeColons ? key.replaceAll(':', '%3A') : key}`,
      key,
      starting: isoSeconds(e.startingMs),
      ending: e.endingMs === null ? null : isoSeconds(e.endingMs),
      sizeBytes: e.sizeBytes,
      durationSeconds: e.durationSeconds,
      mimeType: e.mimeType,
      inserted: e.inserted,
      sha256: withSha256 ? this.#sha256(elementMediaObject(e)) : null,
    };
  }
}

/** Shorthand for {@link WebcoosSimulator.start}. */
export const startWebcoosSimulator = (options?: WebcoosSimulatorOptions): Promise<WebcoosSimulator> =>
  WebcoosSimulator.start(options);
