import type { DataStreamSpec } from './datastream-spec.js';
import type { PartitionParams } from './partition-state.js';

/**
 * A partition's `$filter`: `LocationId eq N [and ActivityStartYear eq Y] and (<the order's filter>)`. The order's
 * filter is kept as given, inside parentheses, so its own `or`s stay within it.
 */
export function partitionFilter(filter: string | undefined, params: PartitionParams): string | undefined {
  const parts: string[] = [];
  if (params.locationId !== null) parts.push(`LocationId eq ${params.locationId}`);
  if (params.year !== null) parts.push(`ActivityStartYear eq ${params.year}`);
  if (filter !== undefined) parts.push(parts.length > 0 ? `(${filter})` : filter);
  return parts.length > 0 ? parts.join(' and ') : undefined;
}

/** The URL of a resource with these query options, each value URL-encoded (DataStream refuses raw ones with 400). */
export function resourceUrl(baseUrl: string, resource: string, options: Array<[string, string | undefined]>): string {
  const query = new URLSearchParams();
  for (const [name, value] of options) if (value !== undefined) query.append(name, value);
  const text = query.toString();
  return `${baseUrl}/${resource}${text ? `?${text}` : ''}`;
}

/** The first page of a partition: `/<resource>?$filter=…&$top=…[&$select=…]`. */
export function firstPageUrl(baseUrl: string, spec: DataStreamSpec, params: PartitionParams, top: number): string {
  return resourceUrl(baseUrl, spec.resource, [
    ['$filter', partitionFilter(spec.filter, params)],
    ['$top', String(top)],
    ['$select', spec.select?.join(',')],
  ]);
}

/** A committed next link asking for `top` rows instead (after a timeout or a 413); the rest of it is kept. */
export function withTop(link: string, top: number): string {
  const url = new URL(link);
  if (url.searchParams.get('$top') === String(top)) return link;
  url.searchParams.set('$top', String(top));
  return url.toString();
}

/** Why a next link cannot be followed from `current`, or undefined when it can. */
export function nextLinkProblem(next: string, current: string, baseUrl: string): string | undefined {
  let target: URL;
  try {
    target = new URL(next);
  } catch {
    return `DataStream sent a next link that is not a URL (${next.slice(0, 100)})`;
  }
  const origin = new URL(baseUrl).origin;
  if (target.origin !== origin)
    return `DataStream sent a next link that leaves its origin ${origin} (to ${target.origin})`;
  if (next === current || target.toString() === new URL(current).toString())
    return 'DataStream sent a next link that repeats the page just read: the pull would never end';
  return undefined;
}
