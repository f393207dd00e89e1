import { describe, expect, it } from 'vitest';
import { parseContentRange, parseRetryAfter } from '@onc-orders/onc-client';

describe('parseRetryAfter', () => {
  const now = Date.parse('2024-05-01T12:00:00.000Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP-date relative to now, never negative', () => {
    expect(parseRetryAfter('Wed, 01 May 2024 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 01 May 2024 11:00:00 GMT', now)).toBe(0);
  });

  it.each([undefined, '', 'soon', '-3', '1.5'])('answers undefined for %j', (header) => {
    expect(parseRetryAfter(header, now)).toBeUndefined();
  });
});

describe('parseContentRange', () => {
  it('reads a complete range', () => {
    expect(parseContentRange('bytes 100-2047/2048')).toEqual({ start: 100, end: 2047, total: 2048 });
  });

  it('leaves total out when the server does not know it', () => {
    expect(parseContentRange('bytes 0-9/*')).toEqual({ start: 0, end: 9 });
  });

  it.each([undefined, 'bytes */2048', 'bytes 10-5/20', 'bytes 0-20/20', 'items 0-1/2', 'bytes=0-1/2'])(
    'answers undefined for %j',
    (header) => {
      expect(parseContentRange(header)).toBeUndefined();
    },
  );
});
