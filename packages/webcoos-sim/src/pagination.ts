/**
 * Page-number pagination as Django REST Framework's PageNumberPagination does it, with the extra fields WebCOOS
 * adds (`page`, `total_pages`, `next_page`, `previous_page`, `start_index`, `end_index`). Pages are cut from the
 * listing as it is at the moment of each request, so elements added between two requests shift later pages.
 */

export interface Pagination {
  /** Absolute URL of the next page (the request's own URL with `page` replaced), or null on the last page. */
  next: string | null;
  previous: string | null;
  count: number;
  page: number;
  total_pages: number;
  previous_page: number | null;
  next_page: number | null;
  /** 1-based position of the page's first item in the listing (0 when the listing is empty), as Django counts. */
  start_index: number;
  end_index: number;
}

export interface PageSizes {
  /** Page size when the request gives no valid `page_size`. */
  defaultPageSize: number;
  /** Largest `page_size` honoured; larger requests are cut to it. */
  maxPageSize: number;
}

export type PageResult<T> = { kind: 'page'; results: T[]; pagination: Pagination } | { kind: 'invalid-page' };

/** Python's `urllib.parse.quote_plus`: what DRF's `replace_query_param` writes into `next` and `previous`. */
const quotePlus = (text: string): string =>
  encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');

/** The request URL with `page` set (or removed when null), other parameters kept and sorted by name, as DRF does. */
function pageUrl(baseUrl: string, params: URLSearchParams, page: number | null): string {
  const entries = [...params].filter(([name]) => name !== 'page');
  if (page !== null) entries.push(['page', String(page)]);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = entries.map(([k, v]) => `${quotePlus(k)}=${quotePlus(v)}`).join('&');
  return query === '' ? baseUrl : `${baseUrl}?${query}`;
}

/** DRF's `_positive_int(strict=True, cutoff=max)`: a positive integer, or the default. */
function pageSizeOf(raw: string | null, sizes: PageSizes): number {
  if (raw === null || !/^\s*\+?\d+\s*$/.test(raw)) return sizes.defaultPageSize;
  const n = Number(raw);
  if (n <= 0) return sizes.defaultPageSize;
  return Math.min(n, sizes.maxPageSize);
}

/**
 * One page of `items` for a request with these query parameters. `baseUrl` is the absolute URL of the endpoint
 * (scheme, host and path, no query). An unreadable, zero, negative or too high `page` is an invalid page (DRF
 * answers 404 `{"detail": "Invalid page."}`); `page=last` is the last page.
 */
export function paginate<T>(
  items: readonly T[],
  params: URLSearchParams,
  baseUrl: string,
  sizes: PageSizes,
): PageResult<T> {
  const size = pageSizeOf(params.get('page_size'), sizes);
  const count = items.length;
  const totalPages = Math.max(1, Math.ceil(count / size));
  const raw = params.get('page');
  let page: number;
  if (raw === null) page = 1;
  else if (raw === 'last') page = totalPages;
  else if (/^\s*[+-]?\d+\s*$/.test(raw)) page = Number(raw);
  else return { kind: 'invalid-page' };
  if (page < 1 || page > totalPages) return { kind: 'invalid-page' };
  const start = (page - 1) * size;
  const results = items.slice(start, start + size);
  const hasNext = page < totalPages;
  const hasPrevious = page > 1;
  return {
    kind: 'page',
    results,
    pagination: {
      next: hasNext ? pageUrl(baseUrl, params, page + 1) : null,
      previous: hasPrevious ? pageUrl(baseUrl, params, page === 2 ? null : page - 1) : null,
      count,
      page,
      total_pages: totalPages,
      previous_page: hasPrevious ? page - 1 : null,
      next_page: hasNext ? page + 1 : null,
      start_index: count === 0 ? 0 : start + 1,
      end_index: page === totalPages ? count : page * size,
    },
  };
}
