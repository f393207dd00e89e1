/**
 * The link to the next page: absolute, on the API's own origin, repeating `$select`, `$filter` and (when the
 * request gave it) `$top`, with `$skiptoken=Id:<last Id on this page>`, in the documented form
 * `…/Observations?$skiptoken=Id:99999&$top=1000`. Names keep their raw `$` and the skip token its raw `:`, as in
 * the documentation; every other character of a value that is not unreserved is percent-encoded (stricter than
 * encodeURIComponent, which leaves `'()` raw), so the link passes the server's own encoding check.
 */
import type { QueryOptions } from './query-options.js';
import { API_BASE_PATH, type Resource } from './resources.js';

/** Percent-encodes all but RFC 3986's unreserved characters. */
export const encodeQueryValue = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function nextLink(origin: string, resource: Resource, options: QueryOptions, lastId: number | string): string {
  const parts: string[] = [];
  if (options.selectText !== null) parts.push(`$select=${encodeQueryValue(options.selectText)}`);
  if (options.filterText !== null) parts.push(`$filter=${encodeQueryValue(options.filterText)}`);
  parts.push(`$skiptoken=Id:${encodeQueryValue(String(lastId))}`);
  if (options.topGiven) parts.push(`$top=${options.top}`);
  return `${origin}${API_BASE_PATH}/${resource}?${parts.join('&')}`;
}

/** The `Link` header value for a next link. */
export const linkHeader = (url: string): string => `<${url}>; rel="next"`;
