import { describe, expect, it } from 'vitest';
import { parseContentDisposition } from '@onc-orders/onc-client';

describe('parseContentDisposition', () => {
  it.each([
    ['attachment; filename=BACAX_CTD_20160727T000000Z.csv', 'BACAX_CTD_20160727T000000Z.csv'],
    ['attachment; filename="BACAX CTD.csv"', 'BACAX CTD.csv'],
    ['attachment;filename="semi;colon.csv"', 'semi;colon.csv'],
    ['attachment; filename="say \\"hi\\".csv"', 'say "hi".csv'],
    ["attachment; filename*=UTF-8''%E2%82%AC%20rates.csv", '€ rates.csv'],
    ['attachment; filename="fallback.csv"; filename*=UTF-8\'\'caf%C3%A9.csv', 'café.csv'],
    ['attachment; filename*=UTF-8\'\'caf%C3%A9.csv; filename="fallback.csv"', 'café.csv'],
    ["attachment; filename*=iso-8859-1'en'caf%E9.csv", 'café.csv'],
    ['ATTACHMENT; FILENAME=upper.csv', 'upper.csv'],
    ['attachment; size=12; filename=x.csv', 'x.csv'],
    ['attachment; inline; filename=x.csv', 'x.csv'],
  ])('reads %j', (header, name) => {
    expect(parseContentDisposition(header)).toBe(name);
  });

  it('falls back to filename when filename* is malformed', () => {
    expect(parseContentDisposition("attachment; filename*=UTF-8''%E2%ZZ.csv; filename=plain.csv")).toBe('plain.csv');
  });

  it('passes hostile names through untouched: sanitising is the caller’s job', () => {
    expect(parseContentDisposition('attachment; filename="../../etc/passwd"')).toBe('../../etc/passwd');
    expect(parseContentDisposition("attachment; filename*=UTF-8''a%01b.csv")).toBe('a\u0001b.csv');
  });

  it.each([undefined, '', 'attachment', 'attachment; filename=', 'inline; name=x'])(
    'answers undefined for %j',
    (header) => {
      expect(parseContentDisposition(header)).toBeUndefined();
    },
  );
});
