import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, classifyNetworkError, isRetryable, type DownloadRequest } from '@onc-orders/onc-client';
import { TOKEN, completedRunIds, readAll, startHarness, type Harness } from './sim-harness.js';

/**
 * A caller's download loop in miniature: transient outcomes and broken bodies are retried with backoff; 202 and 410
 * are looked at again a bounded number of times. Returns the file's bytes and every outcome kind seen.
 */
async function downloadPatiently(
  harness: Harness,
  request: DownloadRequest,
): Promise<{ bytes: Buffer; seen: string[] }> {
  const seen: string[] = [];
  for (let attempt = 0; attempt < 40; attempt += 1) {
    const outcome = await harness.client.download(request);
    seen.push(outcome.kind);
    if (outcome.kind === 'ok') {
      try {
        return { bytes: await readAll(outcome.value.body), seen };
      } catch (error) {
        const transient = classifyNetworkError(error, 'download', request);
        if (transient === undefined) throw error;
        expect(inspect(transient, { depth: Infinity })).not.toContain(TOKEN);
        seen.push('brokenBody');
        continue;
      }
    }
    if ('error' in outcome) expect(inspect(outcome.error, { depth: Infinity })).not.toContain(TOKEN);
    if (!isRetryable(outcome) && outcome.kind !== 'notReady' && outcome.kind !== 'gone') {
      return expect.fail(`download answered ${outcome.kind}`);
    }
    await new Promise((resolve) => setTimeout(resolve, backoffDelayMs(attempt, { baseMs: 1, maxMs: 5 })));
  }
  return expect.fail(`gave up after ${seen.join(', ')}`);
}

describe('chaos', () => {
  it('every file arrives intact through seeded 500s, 503s, resets, late 202s and early 410s', async () => {
    const harness = await startHarness({ sim: { behaviour: { filesPerRun: 6, fileSizeBytes: 64 * 1024 } } });
    const [dpRunId = 0] = await completedRunIds(harness);
    harness.sim.configure({
      chaos: {
        seed: 5,
        http500: 0.15,
        http503: 0.1,
        resetMidBody: 0.15,
        notReadyAfterComplete: 0.1,
        goneBeforeReady: 0.2,
      },
    });
    const seen = new Set<string>();
    for (const index of [1, 2, 3, 4, 5, 6, 'meta'] as const) {
      const result = await downloadPatiently(harness, { dpRunId, index, deleteFile: false });
      result.seen.forEach((kind) => seen.add(kind));
      const digest = createHash('sha256').update(result.bytes).digest('hex');
      expect(digest).toBe(harness.sim.fileSha256(dpRunId, index));
    }
    // The seed was chosen so the run meets every kind of trouble; a quiet run would prove nothing.
    expect([...seen].sort()).toEqual(['brokenBody', 'gone', 'notReady', 'ok', 'transient']);
    for (const info of harness.calls) expect(info.url).not.toContain(TOKEN);
  });
});
