/**
 * What an archivefile or discovery handler gets, and what it gives back. Handling is in two steps so the HTTP layer
 * can apply faults between them, as it does for dataProductDelivery: `prepare` validates the call (every problem at
 * once, in one 400 body), and only a valid call reaches `answer`.
 */
import type { ArchiveFiles } from './archive/archive-files.js';
import type { ArchiveOptions } from './archive/archive-options.js';
import type { Catalogue } from './catalogue.js';
import type { DiscoveryOptions } from './discovery/discovery-options.js';
import type { FileDelivery, Reply } from './reply.js';

export interface ServiceContext {
  catalogue: Catalogue;
  archiveFiles: ArchiveFiles;
  archiveOptions: ArchiveOptions;
  discoveryOptions: DiscoveryOptions;
  /** Query parameters (first value of each), token included. */
  params: Readonly<Record<string, string>>;
  now: number;
  /** The site root as the client called it, e.g. `http://127.0.0.1:4321/`. */
  siteUrl: string;
  /** The path the call used, from `/api/` on, e.g. `/api/archivefile/location` or `/api/archivefiles`. */
  path: string;
  /** How a file download is sent (names, ranges, speed). */
  fileDelivery: FileDelivery;
}

/** A validated call, ready to answer; or the reply that refuses it. */
export type Prepared = { ok: true; answer: () => Reply } | { ok: false; reply: Reply };

export const refuse = (reply: Reply): Prepared => ({ ok: false, reply });
export const ready = (answer: () => Reply): Prepared => ({ ok: true, answer });
