/** One HTTP request timed to its last byte, with the size of the body as it came over the wire. */
import { performance } from 'node:perf_hooks';

export interface TimedAnswer {
  status: number;
  /** Bytes of the body. */
  bytes: number;
  /** From sending the request to the body's last byte. */
  ms: number;
  headers: Headers;
  body: Buffer;
}

export async function timedRequest(url: string, init: RequestInit = {}): Promise<TimedAnswer> {
  const start = performance.now();
  const response = await fetch(url, init);
  const body = Buffer.from(await response.arrayBuffer());
  return {
    status: response.status,
    bytes: body.length,
    ms: performance.now() - start,
    headers: response.headers,
    body,
  };
}

/** The same, failing unless the answer is `expected` (a benchmark of error pages measures nothing). */
export async function timedOk(url: string, init: RequestInit = {}, expected = 200): Promise<TimedAnswer> {
  const answer = await timedRequest(url, init);
  if (answer.status !== expected) {
    throw new Error(
      `${init.method ?? 'GET'} ${url} answered ${answer.status}: ${answer.body.toString('utf8', 0, 500)}`,
    );
  }
  return answer;
}
