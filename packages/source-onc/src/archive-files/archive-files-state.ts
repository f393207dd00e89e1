import type { ArchiveFileEntry } from '@onc-orders/onc-client';

/** What one product lists: by location (locationCode + deviceCategoryCode) or by device, over one window. */
export interface ArchiveListingParams {
  by: 'location' | 'device';
  /** The listing's own parameters (codes, dateFrom/dateTo of the window, the optional filters), never the token. */
  query: Record<string, string>;
}

/** A product's memory: where its listing stands. Each page's files are saved with the state that points past it. */
export interface ArchiveListingState {
  /** The query of the next page, as ONC gave it in `next.parameters` (without the token); null for the first. */
  next: Record<string, string> | null;
  pages: number;
  /** Files the listing named, duplicates across pages included. */
  listed: number;
  /**
   * Bytes the listing's files will take, by their listed sizes (uncompressed, as ONC serves them decompressed).
   * Absent in states saved before it was kept.
   */
  listedBytes?: number;
  /** The last page was listed: the product's files are all known. */
  done: boolean;
  /** ONC's warnings from the listing (e.g. recent files withheld). */
  messages: string[];
}

export type ArchiveFileMeta = ArchiveFileEntry;

export const initialArchiveListingState: ArchiveListingState = {
  next: null,
  pages: 0,
  listed: 0,
  listedBytes: 0,
  done: false,
  messages: [],
};

/** Rows per listing page: big pages are few calls, and each page is saved whole before the next is asked for. */
export const archivePageSize = 1_000;
