import { TransientFailure, type ServiceError } from '@onc-orders/jobs';
import type { DataStreamService } from './datastream-service.js';
import { nextLinkProblem } from './partition-query.js';
import { readRefusal } from './read-refusal.js';

/** A small listing read whole (Locations' Ids, Metadata's citations), or why the service would not give it. */
export type ListingResult =
  { kind: 'rows'; rows: Array<Record<string, unknown>> } | { kind: 'failed'; error: ServiceError };

/**
 * Every row of a listing, page after page, following the next link to the end (checked like a partition's).
 * Transient failures are thrown and the whole listing is read again: it is small, and nothing of it is kept.
 */
export async function readAllPages(
  service: DataStreamService,
  firstUrl: string,
  signal: AbortSignal | undefined,
): Promise<ListingResult> {
  const rows: Array<Record<string, unknown>> = [];
  let url: string | null = firstUrl;
  while (url !== null) {
    const answer = await service.client.get(url, signal);
    if (answer.kind === 'refused') {
      const reading = readRefusal(answer, service.forbidden);
      if (reading.kind === 'bad-key' || reading.kind === 'refused') return { kind: 'failed', error: reading.error };
      if (reading.kind === 'transient') throw reading.failure;
      // A listing of Ids or of a few datasets that times out or is too large is the service's hiccup: retried.
      throw new TransientFailure(reading.error.message);
    }
    service.forbidden.accepted();
    for (const row of answer.value)
      if (typeof row === 'object' && row !== null) rows.push(row as Record<string, unknown>);
    if (answer.nextLink !== null) {
      const problem = nextLinkProblem(answer.nextLink, url, service.baseUrl);
      if (problem) return { kind: 'failed', error: { code: null, parameter: null, message: problem } };
    }
    url = answer.nextLink;
  }
  return { kind: 'rows', rows };
}
