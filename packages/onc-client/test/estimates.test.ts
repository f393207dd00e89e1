import { describe, expect, it } from 'vitest';
import { parseByteSize, parseSeconds } from '@onc-orders/onc-client';

describe('parseByteSize', () => {
  it.each([
    ['11940760', 11_940_760],
    ['151 kB', 151_000],
    ['151kB', 151_000],
    ['1.5 MB', 1_500_000],
    ['2 KiB', 2048],
    ['3 GiB', 3 * 2 ** 30],
    ['12 B', 12],
    ['512 bytes', 512],
    ['11,940,760', 11_940_760],
    ['  42  ', 42],
  ])('reads %j as %d bytes', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  it.each(['no estimated file size avalible.', '', 'MB', '12 parsecs', '-5', '1,5 MB', 'about 3 MB'])(
    'answers undefined for %j',
    (text) => {
      expect(parseByteSize(text)).toBeUndefined();
    },
  );
});

describe('parseSeconds', () => {
  it.each([
    ['21', 21],
    ['20 s', 20],
    ['3 min', 180],
    ['1 h', 3600],
    ['2 hours', 7200],
    ['1 min 30 s', 90],
    ['1 min and 30 s', 90],
    ['0.5 s', 0.5],
    ['1 day', 86_400],
  ])('reads %j as %d seconds', (text, seconds) => {
    expect(parseSeconds(text)).toBe(seconds);
  });

  it.each(['No processing time estimates found for this type of data.', '', 'in 3 min', '3 fortnights', 'soon'])(
    'answers undefined for %j',
    (text) => {
      expect(parseSeconds(text)).toBeUndefined();
    },
  );
});
