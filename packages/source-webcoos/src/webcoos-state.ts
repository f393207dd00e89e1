/** One window of one asset: what a product of a WebCOOS order asks for, fixed at submit. */
export interface WebcoosParams {
  asset: string;
  /** The product as the order named it (slug or label). */
  product: string;
  /** Window start, inclusive (`starting_after`), e.g. 2024-06-01T00:00:00Z. */
  from: string;
  /** Window end, exclusive (`starting_before`). */
  to: string;
}

/** The file service an asset's product resolved to, and the product's own slug. */
export interface ResolvedService {
  slug: string;
  uuid: string;
  productSlug: string;
}

/** What the service's daily inventory says of a window; counts are null when the window does not cover whole days. */
export interface WindowInventory {
  count: number | null;
  bytes: number | null;
  hasData: boolean;
}

/**
 * What the WebCOOS source remembers of one window between steps. The core commits it (with the page's files) before
 * the next page is asked for, so a crash repeats at most one page, and a repeated page adds nothing (files are
 * keyed by element uuid).
 */
export interface WebcoosState {
  /** Set by the order's first step (or resolved by the first listing step). */
  service: ResolvedService | null;
  inventory: WindowInventory | null;
  /** Which listing of the window this is, from 1; a window is listed again when its count disagrees. */
  listing: number;
  /** The next page of the current listing, absolute; null before its first page. */
  next: string | null;
  /** Every element uuid listed in the window so far, over all listings. */
  seen: string[];
  /** Elements the current listing found that earlier ones had not. */
  newInListing: number;
  pagesRead: number;
  /** The listing's own count (`pagination.count`) on the last page read. */
  listedCount: number | null;
  /** The listing is over: what it found is being downloaded. */
  listed: boolean;
}

/** One element of a window: the file to fetch. */
export interface WebcoosFileMeta {
  uuid: string;
  /** The file on the media host (untrusted; fetched without the token). */
  url: string;
  /** The file's own name (colons included; the core makes it safe). */
  name: string;
  starting: string | null;
  /** Bytes, when the listing says (the field is read defensively). */
  size: number | null;
}

export const initialWebcoosState: WebcoosState = {
  service: null,
  inventory: null,
  listing: 1,
  next: null,
  seen: [],
  newInListing: 0,
  pagesRead: 0,
  listedCount: null,
  listed: false,
};
