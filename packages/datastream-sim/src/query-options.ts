/**
 * The OData query options DataStream supports — `$select`, `$filter`, `$top`, `$skiptoken`, `$count` — read from a
 * decoded query string and checked. Anything the server would refuse throws a {@link QueryError}, whose message
 * the server sends in a 400 body: an unknown field (named), bad filter syntax (where), a `$top` out of range, a
 * malformed skip token, an option given twice or an option DataStream does not support (such as `$orderby`).
 * Parameters not starting with `$` are ignored.
 */
import { FilterError, parseFilter, type FilterNode } from './filter-syntax.js';
import { SELECTABLE_FIELDS, type Resource } from './resources.js';

/** `$top` when none is given: the OpenAPI file's default. */
export const DEFAULT_TOP = 10;
/** The largest `$top` the API accepts. */
export const MAX_TOP = 10_000;

export const SUPPORTED_OPTIONS = ['$select', '$filter', '$top', '$skiptoken', '$count'] as const;

export class QueryError extends Error {
  override readonly name = 'QueryError';
}

export interface QueryOptions {
  /** Fields to return, in the order asked for (duplicates dropped); null for every field. */
  select: string[] | null;
  /** `$select` as given (for the next link), or null. */
  selectText: string | null;
  filter: FilterNode | null;
  /** `$filter` as given (for the next link and as a cache key), or null. */
  filterText: string | null;
  /** Rows per page. */
  top: number;
  /** Whether `$top` was given (the next link repeats it only then). */
  topGiven: boolean;
  /** Rows strictly after this Id (`$skiptoken=Id:…`): a number, or Metadata's UUID text; null from the start. */
  afterId: number | string | null;
  /** `$count=true`: answer the number of matching rows instead of rows. */
  count: boolean;
}

function single(params: URLSearchParams, name: string): string | null {
  const all = params.getAll(name);
  if (all.length > 1) throw new QueryError(`${name} is given ${all.length} times; give it once`);
  return all[0] ?? null;
}

function parseSelect(text: string, resource: Resource): string[] {
  const allowed = SELECTABLE_FIELDS[resource];
  const fields: string[] = [];
  for (const raw of text.split(',')) {
    const name = raw.trim();
    if (name === '') throw new QueryError(`$select: an empty field name in '${text}'`);
    if (!allowed.includes(name))
      throw new QueryError(`$select: unknown field '${name}'; /${resource} selects ${allowed.join(', ')}`);
    if (!fields.includes(name)) fields.push(name);
  }
  return fields;
}

function parseTop(text: string): number {
  if (!/^\d+$/.test(text)) throw new QueryError(`$top must be a whole number from 1 to ${MAX_TOP}, got '${text}'`);
  const top = Number(text);
  if (top < 1) throw new QueryError(`$top must be at least 1, got ${text}`);
  if (top > MAX_TOP) throw new QueryError(`$top must be at most ${MAX_TOP}, got ${text}`);
  return top;
}

function parseSkipToken(text: string, resource: Resource): number | string {
  const m = /^Id:(.+)$/.exec(text);
  if (!m?.[1]) throw new QueryError(`$skiptoken must look like Id:1234, got '${text}'`);
  if (resource === 'Metadata') return m[1];
  if (!/^\d+$/.test(m[1]) || !Number.isSafeInteger(Number(m[1])))
    throw new QueryError(`$skiptoken must look like Id:1234 (a whole number), got '${text}'`);
  return Number(m[1]);
}

/** Reads the query options for a resource; throws {@link QueryError}. */
export function parseQueryOptions(params: URLSearchParams, resource: Resource): QueryOptions {
  for (const name of new Set(params.keys()))
    if (name.startsWith('$') && !(SUPPORTED_OPTIONS as readonly string[]).includes(name))
      throw new QueryError(`${name} is not supported; the API takes ${SUPPORTED_OPTIONS.join(', ')}`);

  const selectText = single(params, '$select');
  const filterText = single(params, '$filter');
  const topText = single(params, '$top');
  const skipText = single(params, '$skiptoken');
  const countText = single(params, '$count');

  let filter: FilterNode | null = null;
  try {
    filter = filterText === null ? null : parseFilter(filterText, resource);
  } catch (err) {
    if (err instanceof FilterError) throw new QueryError(err.message);
    throw err;
  }
  if (countText !== null && countText !== 'true' && countText !== 'false')
    throw new QueryError(`$count must be true or false, got '${countText}'`);
  const select = selectText === null || selectText.trim() === '' ? null : parseSelect(selectText, resource);
  return {
    select,
    selectText: select === null ? null : selectText,
    filter,
    filterText: filter === null ? null : filterText,
    top: topText === null ? DEFAULT_TOP : parseTop(topText),
    topGiven: topText !== null,
    afterId: skipText === null ? null : parseSkipToken(skipText, resource),
    count: countText === 'true',
  };
}
