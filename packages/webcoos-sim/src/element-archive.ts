/**
 * The archive behind every file service: which elements exist, when they start, what they are called, how big
 * they are — all derived from the service, the day and the options, so it never has to be stored — plus the
 * elements a test inserts later ("late arrivals"), which are stored.
 *
 * Stills come one per minute (or per ten) during each day's daylight window, whose length varies by camera and day
 * between 332 and 1,308 minutes (the range the site's inventory fixture shows); videos come one per ten minutes in
 * the same window. Some days have nothing at all.
 */
import { DAY_MS, MINUTE_MS, dayKey, isoSeconds, parseDay } from './archive-time.js';
import { BUCKET, type CatalogueService, type ElementKind } from './catalogue.js';
import type { MediaObject } from './media-content.js';
import { stableIntBetween, stableUuid } from './stable-hash.js';

/** One file of a service. */
export interface SimElement {
  uuid: string;
  service: CatalogueService;
  kind: ElementKind;
  startingMs: number;
  /** Videos end when their recording does; stills are instants and have no ending. */
  endingMs: number | null;
  durationSeconds: number | null;
  /** `<asset>-2024-06-01T12:34:00Z.jpg`: the colons are part of the name. */
  name: string;
  /** Object key on the media host: `webcoos/<service path>/YYYY/MM/DD/<name>`. */
  key: string;
  sizeBytes: number;
  mimeType: string;
  /** Added with insertElements / insertAfterPage rather than generated. */
  inserted: boolean;
}

/** What a size function is told about the element it sizes. */
export interface ElementSizeQuery {
  uuid: string;
  service: string;
  asset: string;
  product: string;
  kind: ElementKind;
  /** `2024-06-01T12:34:00Z`. */
  starting: string;
  name: string;
}

export interface ArchiveSettings {
  /** First day of the archive, midnight UTC in ms (inclusive). */
  fromMs: number;
  /** Day after the last one, midnight UTC in ms (exclusive). */
  toMs: number;
  /** Days (`YYYY-MM-DD`) without elements for every service. */
  emptyDays: ReadonlySet<string>;
  /** Minutes of daylight (one-minute stills) a camera records on a day, 0..1440. */
  stillsPerDay: (asset: string, day: string) => number;
  /** Bytes of an element. */
  sizeOf: (element: ElementSizeQuery) => number;
}

/** Service totals as the assets listing shows them under `elements`. */
export interface ServiceTotals {
  count: number;
  /** Sum of sizes in bytes; null when there are no elements (as the site shows for streams). */
  size: number | null;
  firstStarting: number | null;
  lastStarting: number | null;
  firstEnding: number | null;
  lastEnding: number | null;
}

// Daylight is centred on 16:30 UTC, midday on the US east coast where the cameras are.
const DAYLIGHT_CENTRE_MINUTE = 16 * 60 + 30;

const defaultStillsPerDay = (asset: string, day: string): number =>
  stableIntBetween(332, 1308, 'stills-per-day', asset, day);

export const DEFAULT_STILL_BYTES = { min: 222_000, max: 365_000 } as const;
export const DEFAULT_VIDEO_BYTES = { min: 55_000_000, max: 70_000_000 } as const;

/** Stills about 222–365 KB and videos about 55–70 MB (the site's fixtures), varying by uuid. */
export function defaultSizeOf(element: ElementSizeQuery): number {
  const range = element.kind === 'video' ? DEFAULT_VIDEO_BYTES : DEFAULT_STILL_BYTES;
  return stableIntBetween(range.min, range.max, 'size', element.uuid);
}

export const defaultArchiveSettings = (): ArchiveSettings => ({
  fromMs: parseDay('2024-06-01'),
  toMs: parseDay('2024-06-08'),
  emptyDays: new Set(['2024-06-03']),
  stillsPerDay: defaultStillsPerDay,
  sizeOf: defaultSizeOf,
});

const keyPrefix = (service: CatalogueService): string => `${BUCKET}/${service.path}/`;
const thumbnailPrefix = (service: CatalogueService): string =>
  `${BUCKET}/${service.path.replace(/elements$/, 'thumbnails')}/`;
const datePath = (ms: number): string => dayKey(ms).replaceAll('-', '/');

export const THUMBNAIL_VARIANTS = { rect_small: 4096, rect_medium: 8192, rect_large: 16_384 } as const;
export type ThumbnailVariant = keyof typeof THUMBNAIL_VARIANTS;
const isThumbnailVariant = (v: string): v is ThumbnailVariant => Object.hasOwn(THUMBNAIL_VARIANTS, v);

/** Object key of an element's thumbnail: beside its elements, under `thumbnails/`. */
export const thumbnailKey = (element: SimElement, variant: ThumbnailVariant): string =>
  `${thumbnailPrefix(element.service)}${datePath(element.startingMs)}/${element.name}.${variant}.jpg`;

/** What the media host serves for an element: bytes seeded by its uuid and name. */
export const elementMediaObject = (element: SimElement): MediaObject => ({
  key: element.key,
  sizeBytes: element.sizeBytes,
  mimeType: element.mimeType,
  seed: `${element.uuid}/${element.name}`,
});

export const thumbnailMediaObject = (element: SimElement, variant: ThumbnailVariant): MediaObject => ({
  key: thumbnailKey(element, variant),
  sizeBytes: THUMBNAIL_VARIANTS[variant],
  mimeType: 'image/jpeg',
  seed: `${element.uuid}/${variant}`,
});

/** When an element's file was written: a couple of minutes after it ends (the recorder uploads finished files). */
export const elementCreatedMs = (element: SimElement): number => (element.endingMs ?? element.startingMs) + 120_000;

export class ElementArchive {
  readonly #settings: ArchiveSettings;
  readonly #services: readonly CatalogueService[];
  /** Per service slug, per day: the day's elements in starting order (generated on first use). */
  readonly #days = new Map<string, Map<string, SimElement[]>>();
  /** Per service slug: days outside the archive's range that received inserted elements. */
  readonly #extraDays = new Map<string, Set<string>>();
  readonly #totals = new Map<string, ServiceTotals>();

  constructor(services: readonly CatalogueService[], settings: ArchiveSettings) {
    if (!(settings.fromMs < settings.toMs)) throw new RangeError('archive: from must be before to');
    this.#settings = settings;
    this.#services = services.filter((s) => s.product !== null);
  }

  /** Days of the archive's range, then any later or earlier days with inserted elements, in order. */
  days(service: CatalogueService): string[] {
    const days: string[] = [];
    for (let ms = this.#settings.fromMs; ms < this.#settings.toMs; ms += DAY_MS) days.push(dayKey(ms));
    for (const extra of this.#extraDays.get(service.slug) ?? []) if (!days.includes(extra)) days.push(extra);
    return days.sort();
  }

  /** The elements of one service on one day, in starting order. */
  dayElements(service: CatalogueService, day: string): readonly SimElement[] {
    return this.#dayList(service, day);
  }

  /** Elements of a service with `afterMs <= starting < beforeMs` (either bound may be null), in starting order. */
  list(service: CatalogueService, afterMs: number | null, beforeMs: number | null): SimElement[] {
    if (!service.product) return [];
    const out: SimElement[] = [];
    for (const day of this.days(service)) {
      const dayMs = parseDay(day);
      if (afterMs !== null && dayMs + DAY_MS <= afterMs) continue;
      if (beforeMs !== null && dayMs >= beforeMs) continue;
      for (const e of this.#dayList(service, day))
        if ((afterMs === null || e.startingMs >= afterMs) && (beforeMs === null || e.startingMs < beforeMs))
          out.push(e);
    }
    return out;
  }

  totals(service: CatalogueService): ServiceTotals {
    const cached = this.#totals.get(service.slug);
    if (cached) return cached;
    const all = this.list(service, null, null);
    const endings = all.map((e) => e.endingMs).filter((ms): ms is number => ms !== null);
    const totals: ServiceTotals = {
      count: all.length,
      size: all.length === 0 ? null : all.reduce((sum, e) => sum + e.sizeBytes, 0),
      firstStarting: all[0]?.startingMs ?? null,
      lastStarting: all.at(-1)?.startingMs ?? null,
      // reduce rather than Math.min(...): a long archive would overflow the argument list.
      firstEnding: endings.reduce<number | null>((min, ms) => (min === null || ms < min ? ms : min), null),
      lastEnding: endings.reduce<number | null>((max, ms) => (max === null || ms > max ? ms : max), null),
    };
    this.#totals.set(service.slug, totals);
    return totals;
  }

  /** Adds elements starting at these instants. Throws (adding none) if one is taken or two coincide. */
  insert(service: CatalogueService, startings: readonly number[]): SimElement[] {
    if (!service.product) throw new RangeError(`service ${service.slug} is a stream and has no files`);
    const unique = new Set(startings.map((ms) => Math.floor(ms / 1000) * 1000));
    if (unique.size !== startings.length) throw new RangeError('insert: two elements at the same second');
    for (const ms of unique)
      if (this.#isTaken(service, ms))
        throw new RangeError(`insert: ${service.slug} already has an element at ${isoSeconds(ms)}`);
    const added: SimElement[] = [];
    for (const ms of unique) {
      const day = dayKey(ms);
      const list = this.#dayList(service, day);
      const element = this.#makeElement(service, ms, true);
      const at = list.findIndex((e) => e.startingMs > ms);
      list.splice(at === -1 ? list.length : at, 0, element);
      if (ms < this.#settings.fromMs || ms >= this.#settings.toMs) {
        const extra = this.#extraDays.get(service.slug) ?? new Set<string>();
        extra.add(day);
        this.#extraDays.set(service.slug, extra);
      }
      added.push(element);
    }
    this.#totals.delete(service.slug);
    return added.sort((a, b) => a.startingMs - b.startingMs);
  }

  /** The first whole second from `afterMs + 30 s` on that no element of the service starts at, if before `limitMs`. */
  freeSecondAfter(service: CatalogueService, afterMs: number, limitMs: number | null): number | null {
    for (let ms = Math.floor(afterMs / 1000) * 1000 + 30_000; limitMs === null || ms < limitMs; ms += 1000) {
      if (!this.#isTaken(service, ms)) return ms;
      if (ms - afterMs > DAY_MS) return null;
    }
    return null;
  }

  /** The element stored under an object key, or null. */
  findByKey(key: string): SimElement | null {
    for (const service of this.#services) {
      const prefix = keyPrefix(service);
      if (!key.startsWith(prefix)) continue;
      const m = /^(\d{4})\/(\d{2})\/(\d{2})\/([^/]+)$/.exec(key.slice(prefix.length));
      if (!m) return null;
      const day = `${m[1]}-${m[2]}-${m[3]}`;
      if (!this.days(service).includes(day)) return null;
      return this.#dayList(service, day).find((e) => e.name === m[4]) ?? null;
    }
    return null;
  }

  /** The element and variant a thumbnail key names, or null. */
  findThumbnail(key: string): { element: SimElement; variant: ThumbnailVariant } | null {
    for (const service of this.#services) {
      const prefix = thumbnailPrefix(service);
      if (!key.startsWith(prefix)) continue;
      const m = /^(\d{4})\/(\d{2})\/(\d{2})\/([^/]+)\.([a-z_]+)\.jpg$/.exec(key.slice(prefix.length));
      const variant = m?.[5] ?? '';
      if (!m || !isThumbnailVariant(variant)) return null;
      const element = this.findByKey(`${keyPrefix(service)}${m[1]}/${m[2]}/${m[3]}/${m[4]}`);
      return element ? { element, variant } : null;
    }
    return null;
  }

  #isTaken(service: CatalogueService, ms: number): boolean {
    return this.#dayList(service, dayKey(ms)).some((e) => Math.floor(e.startingMs / 1000) === Math.floor(ms / 1000));
  }

  #dayList(service: CatalogueService, day: string): SimElement[] {
    let byDay = this.#days.get(service.slug);
    if (!byDay) {
      byDay = new Map();
      this.#days.set(service.slug, byDay);
    }
    let list = byDay.get(day);
    if (!list) {
      list = this.#generateDay(service, day);
      byDay.set(day, list);
    }
    return list;
  }

  #generateDay(service: CatalogueService, day: string): SimElement[] {
    const product = service.product;
    const dayMs = parseDay(day);
    if (!product || dayMs < this.#settings.fromMs || dayMs >= this.#settings.toMs) return [];
    if (this.#settings.emptyDays.has(day) || service.asset.emptyDays?.includes(day)) return [];
    const daylight = this.#settings.stillsPerDay(service.asset.slug, day);
    if (!(Number.isInteger(daylight) && daylight >= 0 && daylight <= 1440))
      throw new RangeError(`stillsPerDay must be an integer in 0..1440, got ${daylight} for ${day}`);
    const first = Math.min(Math.max(DAYLIGHT_CENTRE_MINUTE - Math.floor(daylight / 2), 0), 1440 - daylight);
    const step = product.intervalMinutes;
    const out: SimElement[] = [];
    for (let minute = Math.ceil(first / step) * step; minute < first + daylight; minute += step)
      out.push(this.#makeElement(service, dayMs + minute * MINUTE_MS, false));
    return out;
  }

  #makeElement(service: CatalogueService, startingMs: number, inserted: boolean): SimElement {
    const product = service.product;
    if (!product) throw new Error(`service ${service.slug} has no files`);
    const uuid = stableUuid('element', service.slug, startingMs);
    const name = `${service.asset.slug}-${isoSeconds(startingMs)}.${product.extension}`;
    // A ten-minute recording that stops a second or three short of the next one, as camera recorders do.
    const durationSeconds =
      product.kind === 'video' ? product.intervalMinutes * 60 - stableIntBetween(1, 3, 'duration', uuid) : null;
    const sizeBytes = this.#settings.sizeOf({
      uuid,
      service: service.slug,
      asset: service.asset.slug,
      product: service.productSlug,
      kind: product.kind,
      starting: isoSeconds(startingMs),
      name,
    });
    if (!(Number.isSafeInteger(sizeBytes) && sizeBytes >= 0))
      throw new RangeError(`element size must be a non-negative integer, got ${sizeBytes} for ${name}`);
    return {
      uuid,
      service,
      kind: product.kind,
      startingMs,
      endingMs: durationSeconds === null ? null : startingMs + durationSeconds * 1000,
      durationSeconds,
      name,
      key: `${keyPrefix(service)}${datePath(startingMs)}/${name}`,
      sizeBytes,
      mimeType: product.mimeType,
      inserted,
    };
  }
}
