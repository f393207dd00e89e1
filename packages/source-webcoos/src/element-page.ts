import { at, listAt, numberAt, textAt, type Json } from './read-json.js';
import type { WebcoosFileMeta } from './webcoos-state.js';

/** One page of `GET /elements/`. */
export interface ElementPage {
  elements: WebcoosFileMeta[];
  /** Results without a uuid or a file URL: nothing to fetch. */
  unreadable: number;
  /** The absolute URL of the next page, as sent (untrusted), or null on the last page. */
  next: string | null;
  /** The listing's own count of its elements, as of this page. */
  count: number | null;
}

// The size's name is not documented; the first of these that holds a number is taken.
const sizeFields = ['size', 'size_bytes', 'bytes', 'file_size', 'content_length'];

/** The file's name: the last segment of its URL, decoded (colons and all), else the element's slug. */
function nameOf(url: URL, element: Json): string | undefined {
  const last = url.pathname
    .split('/')
    .filter((part) => part !== '')
    .at(-1);
  if (last !== undefined) {
    try {
      return decodeURIComponent(last);
    } catch {
      return last;
    }
  }
  return textAt(element, 'data', 'common', 'slug') ?? textAt(element, 'data', 'common', 'label');
}

function readElement(element: Json): WebcoosFileMeta | undefined {
  const uuid = textAt(element, 'uuid') ?? textAt(element, 'data', 'uuid');
  const sent = textAt(element, 'data', 'properties', 'url');
  if (!uuid || !sent) return undefined;
  let url: URL;
  try {
    url = new URL(sent);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const properties = at(element, 'data', 'properties');
  const size = sizeFields.map((field) => numberAt(properties, field)).find((value) => value !== undefined);
  return {
    uuid,
    url: url.toString(),
    name: nameOf(url, element) ?? uuid,
    starting: textAt(element, 'data', 'extents', 'temporal', 'min') ?? null,
    size: size !== undefined && Number.isSafeInteger(size) && size >= 0 ? size : null,
  };
}

/** A listing page read defensively; undefined when it is not a page at all (no `results` list). */
export function readElementPage(body: Json): ElementPage | undefined {
  const results = at(body, 'results');
  if (!Array.isArray(results)) return undefined;
  const elements: WebcoosFileMeta[] = [];
  let unreadable = 0;
  for (const element of listAt(results)) {
    const read = readElement(element);
    if (read) elements.push(read);
    else unreadable += 1;
  }
  const count = numberAt(body, 'pagination', 'count');
  return { elements, unreadable, next: textAt(body, 'pagination', 'next') ?? null, count: count ?? null };
}
