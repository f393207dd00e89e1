/**
 * Late arrivals during a listing: once page N of an elements listing has been served, new elements appear in the
 * same window, near its front in the listing's order. Page-number paging then shifts — page N+1 repeats items the
 * client already has, and the new ones sit on pages it has passed — so a client must de-duplicate by uuid and check
 * the window's count (against `pagination.count` or the inventory), re-listing when it grew.
 */
import type { CatalogueService } from './catalogue.js';
import type { ElementArchive, SimElement } from './element-archive.js';

export interface InsertAfterPageRule {
  /** Service slug or uuid whose listings trigger the rule; default any single-service listing. */
  service?: string;
  /** Insert once this page (1-based) of a listing has been served. */
  afterPage: number;
  /** Elements to insert each time; default 5. */
  count?: number;
  /** Listings to affect; default 1, `Infinity` for every one. */
  times?: number;
}

export interface InsertionHandle {
  /** Listings the rule will still affect. */
  remaining(): number;
  /** The elements the rule has inserted so far, in starting order. */
  inserted(): SimElement[];
  /** Withdraws the rule (inserted elements stay). */
  remove(): void;
}

/** The listing a page was cut from. */
export interface ServedListing {
  service: CatalogueService;
  page: number;
  /** The whole listing in the order served (before any insertion). */
  listed: readonly SimElement[];
  afterMs: number | null;
  beforeMs: number | null;
}

interface ActiveRule {
  rule: InsertAfterPageRule;
  remaining: number;
  inserted: SimElement[];
}

export function validateInsertRule(rule: InsertAfterPageRule): void {
  if (!(Number.isInteger(rule.afterPage) && rule.afterPage >= 1))
    throw new RangeError(`afterPage must be an integer >= 1, got ${rule.afterPage}`);
  const count = rule.count ?? 5;
  if (!(Number.isInteger(count) && count >= 1)) throw new RangeError(`count must be an integer >= 1, got ${count}`);
  const times = rule.times ?? 1;
  if (!(times >= 1)) throw new RangeError(`times must be >= 1, got ${times}`);
}

export class ListingInsertions {
  readonly #archive: ElementArchive;
  #rules: ActiveRule[] = [];

  constructor(archive: ElementArchive) {
    this.#archive = archive;
  }

  add(rule: InsertAfterPageRule): InsertionHandle {
    validateInsertRule(rule);
    const active: ActiveRule = { rule, remaining: rule.times ?? 1, inserted: [] };
    this.#rules.push(active);
    return {
      remaining: () => active.remaining,
      inserted: () => [...active.inserted].sort((a, b) => a.startingMs - b.startingMs),
      remove: () => {
        this.#rules = this.#rules.filter((r) => r !== active);
      },
    };
  }

  clear(): void {
    this.#rules = [];
  }

  /** Called after each page of a single-service listing is cut; inserts what the rules say. */
  pageServed(listing: ServedListing): SimElement[] {
    const added: SimElement[] = [];
    if (!listing.service.product) return added; // a stream has no files to arrive late
    for (const active of this.#rules) {
      const { rule } = active;
      if (active.remaining <= 0 || rule.afterPage !== listing.page) continue;
      if (rule.service !== undefined && rule.service !== listing.service.slug && rule.service !== listing.service.uuid)
        continue;
      active.remaining--;
      const fresh = this.#insertNearFront(listing, rule.count ?? 5);
      active.inserted.push(...fresh);
      added.push(...fresh);
    }
    this.#rules = this.#rules.filter((r) => r.remaining > 0);
    return added;
  }

  /**
   * Each new element goes a little (30 s or more) after one of the listing's first elements, so in either order it
   * lands among the first 2 × count positions, ahead of every page after the first few.
   */
  #insertNearFront(listing: ServedListing, count: number): SimElement[] {
    const { service, listed, afterMs, beforeMs } = listing;
    const added: SimElement[] = [];
    for (let i = 0; i < count; i++) {
      const base = listed[i % Math.max(listed.length, 1)]?.startingMs ?? afterMs;
      if (base === null || base === undefined) break;
      const at = this.#archive.freeSecondAfter(service, base, beforeMs);
      if (at === null) break;
      added.push(...this.#archive.insert(service, [at]));
    }
    return added;
  }
}
