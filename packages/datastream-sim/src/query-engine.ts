/**
 * Answers a query over the simulated data: which rows a filter matches, one page of them after a skip token, and
 * how many there are. Decisions are made per group of rows (see dataset.ts) and cached per filter, and a page
 * seeks into the matching rows by binary search, so serving page n costs about the same as page 1 however large
 * the dataset is.
 *
 * `groundTruth` answers the same questions the slow, obvious way (every row, one by one) for tests.
 */
import type { Row, SimData, SimDataset, SimLocation } from './dataset.js';
import { anyMatches, matchesFilter } from './filter-evaluation.js';
import { parseFilter, type FilterNode } from './filter-syntax.js';
import { observationRow, recordRow } from './observation-rows.js';
import { RowCursorHeap, lowerBound, upperBound } from './row-cursor-heap.js';
import type { Resource } from './resources.js';

export interface Page {
  rows: Row[];
  /** Id of the last row on the page (the next skip token), or null for an empty page. */
  lastId: number | string | null;
  /** Whether rows remain after this page (a next link is due). */
  hasMore: boolean;
}

export interface PageRequest {
  filter: FilterNode | null;
  select: readonly string[] | null;
  top: number;
  afterId: number | string | null;
  /** Leave out fields whose value is null. */
  omitNulls: boolean;
}

interface RowMatch {
  /** Matching groups, with their row lists. */
  lists: Int32Array[];
  total: number;
  /** Per group, 1 when it matches: for a plain scan when most rows match. */
  mask: Uint8Array;
}

/** Above this share of all rows a page is found by scanning rows in order; below it, by merging group lists. */
const DENSE_SHARE = 1 / 16;
const CACHE_SIZE = 64;

export function project(row: Row, select: readonly string[] | null, omitNulls: boolean): Row {
  if (select === null && !omitNulls) return row;
  const out: Row = {};
  for (const field of select ?? Object.keys(row)) {
    const value = row[field] ?? null;
    if (!(omitNulls && value === null)) out[field] = value;
  }
  return out;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class QueryEngine {
  readonly #data: SimData;
  /** Metadata is ordered by its Id (a UUID), not by generation order. */
  readonly #datasetsById: SimDataset[];
  readonly #rowMatches = new Map<string, RowMatch>();
  readonly #listMatches = new Map<string, number[]>();

  constructor(data: SimData) {
    this.#data = data;
    this.#datasetsById = [...data.datasets].sort((a, b) => compareText(a.id, b.id));
  }

  get data(): SimData {
    return this.#data;
  }

  /** Datasets in Metadata's order. */
  get datasetsInOrder(): readonly SimDataset[] {
    return this.#datasetsById;
  }

  count(resource: Resource, filter: FilterNode | null): number {
    if (resource === 'Observations' || resource === 'Records') return this.#rowMatch(filter).total;
    return this.#listMatch(resource, filter).length;
  }

  page(resource: Resource, request: PageRequest): Page {
    if (resource === 'Observations' || resource === 'Records') return this.#rowPage(resource, request);
    const matched = this.#listMatch(resource, request.filter);
    const idOf = (i: number): number | string =>
      resource === 'Metadata' ? (this.#datasetsById[i] as SimDataset).id : (this.#data.locations[i] as SimLocation).id;
    let start = 0;
    const after = request.afterId;
    if (after !== null) {
      // Binary search over the matching entries, which are in Id order.
      let lo = 0;
      let hi = matched.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const id = idOf(matched[mid] ?? 0);
        const beyond = typeof id === 'number' ? id > Number(after) : compareText(id, String(after)) > 0;
        if (beyond) hi = mid;
        else lo = mid + 1;
      }
      start = lo;
    }
    const slice = matched.slice(start, start + request.top);
    const rows = slice.map((i) =>
      project(
        resource === 'Metadata'
          ? (this.#datasetsById[i] as SimDataset).metadata
          : (this.#data.locations[i] as SimLocation).row,
        request.select,
        request.omitNulls,
      ),
    );
    const last = slice[slice.length - 1];
    return { rows, lastId: last === undefined ? null : idOf(last), hasMore: start + request.top < matched.length };
  }

  #listMatch(resource: 'Metadata' | 'Locations', filter: FilterNode | null): number[] {
    const key = `${resource}\u0000${JSON.stringify(filter)}`;
    let matched = this.#listMatches.get(key);
    if (!matched) {
      matched =
        resource === 'Metadata'
          ? this.#datasetsById.flatMap((d, i) => (anyMatches(filter, d.filterTuples) ? [i] : []))
          : this.#data.locations.flatMap((l, i) => (anyMatches(filter, l.filterTuples) ? [i] : []));
      remember(this.#listMatches, key, matched);
    }
    return matched;
  }

  #rowMatch(filter: FilterNode | null): RowMatch {
    const key = JSON.stringify(filter);
    let match = this.#rowMatches.get(key);
    if (!match) {
      const groups = this.#data.groups;
      const mask = new Uint8Array(groups.length);
      const lists: Int32Array[] = [];
      let total = 0;
      for (const g of groups) {
        if (!matchesFilter(filter, g.facts)) continue;
        mask[g.index] = 1;
        lists.push(g.rows);
        total += g.rows.length;
      }
      match = { lists, total, mask };
      remember(this.#rowMatches, key, match);
    }
    return match;
  }

  #rowPage(resource: 'Observations' | 'Records', request: PageRequest): Page {
    const cols = this.#data.observations;
    const match = this.#rowMatch(request.filter);
    const start = request.afterId === null ? 0 : upperBound(cols.ids, Number(request.afterId));
    const wanted = request.top + 1; // one more than a page tells whether another page follows
    const found: number[] = [];
    if (match.total >= cols.count * DENSE_SHARE) {
      for (let i = start; i < cols.count && found.length < wanted; i++)
        if (match.mask[cols.group[i] ?? 0] === 1) found.push(i);
    } else {
      const heap = new RowCursorHeap();
      for (const list of match.lists) {
        const pos = lowerBound(list, start);
        const row = list[pos];
        if (row !== undefined) heap.push({ row, list, pos });
      }
      while (found.length < wanted) {
        const row = heap.take();
        if (row === null) break;
        found.push(row);
      }
    }
    const hasMore = found.length > request.top;
    if (hasMore) found.pop();
    const build = resource === 'Observations' ? observationRow : recordRow;
    const rows = found.map((i) => project(build(this.#data, i), request.select, request.omitNulls));
    const last = found[found.length - 1];
    return { rows, lastId: last === undefined ? null : (cols.ids[last] ?? null), hasMore };
  }
}

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= CACHE_SIZE) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(key, value);
}

/**
 * Every row a complete pull of `resource` with this filter and select yields, in Id order, computed row by row
 * (no groups, no cache, no paging): the answer a test compares a client's result with.
 */
export function groundTruthRows(
  engine: QueryEngine,
  resource: Resource,
  options: { filter?: string | null; select?: readonly string[] | null; omitNulls?: boolean } = {},
): Row[] {
  const filter = options.filter ? parseFilter(options.filter, resource) : null;
  const select = options.select ?? null;
  const omitNulls = options.omitNulls ?? false;
  const data = engine.data;
  switch (resource) {
    case 'Metadata':
      return engine.datasetsInOrder
        .filter((d) => anyMatches(filter, d.filterTuples))
        .map((d) => project(d.metadata, select, omitNulls));
    case 'Locations':
      return data.locations
        .filter((l) => anyMatches(filter, l.filterTuples))
        .map((l) => project(l.row, select, omitNulls));
    case 'Observations':
    case 'Records': {
      const build = resource === 'Observations' ? observationRow : recordRow;
      const out: Row[] = [];
      for (let i = 0; i < data.observations.count; i++) {
        const group = data.groups[data.observations.group[i] ?? 0];
        if (group && matchesFilter(filter, group.facts)) out.push(project(build(data, i), select, omitNulls));
      }
      return out;
    }
    default: {
      const never: never = resource;
      throw new Error(`unknown resource ${String(never)}`);
    }
  }
}
