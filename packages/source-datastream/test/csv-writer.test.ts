import { describe, expect, it } from 'vitest';
import { csvCell, csvLines } from '../src/csv-writer.js';

describe('the CSV writer (RFC 4180)', () => {
  it('quotes what must be quoted and only that', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('crlf\r\nend')).toBe('"crlf\r\nend"');
    expect(csvCell("l'eau é")).toBe("l'eau é");
  });

  it('writes null and a missing field as an empty cell, numbers and nested values as text', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(7.6)).toBe('7.6');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(false)).toBe('false');
    expect(csvCell(['2016-05-02', '2019-10-30'])).toBe('"[""2016-05-02"",""2019-10-30""]"');
  });

  it('writes the header only when asked, columns in their order, CRLF after every line', () => {
    const rows = [
      { Id: 1, ResultValue: 7.1, ResultComment: null, Extra: 'dropped' },
      { ResultValue: 'x,y', Id: 2 },
    ];
    expect(csvLines(['Id', 'ResultValue', 'ResultComment'], rows, true)).toBe(
      'Id,ResultValue,ResultComment\r\n1,7.1,\r\n2,"x,y",\r\n',
    );
    expect(csvLines(['Id'], rows, false)).toBe('1\r\n2\r\n');
  });
});
