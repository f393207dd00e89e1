import { describe, expect, it } from 'vitest';
import { rawValueRows } from '../src/raw-page-rows.js';

describe('the rows of a page as received', () => {
  it('keeps each object exactly as written: number forms, escapes, key order', () => {
    const raw =
      '{"@odata.context":"x","value":[{"Id":1,"ResultValue":7.60,"Name":"caf\\u00e9"},' +
      '{"Id":2,"Nested":{"a":[1,2,{"b":"]}"}]},"Q":"say \\"hi\\""}],"@odata.nextLink":"https://h/v?$skiptoken=Id:2"}';
    expect(rawValueRows(raw)).toEqual([
      '{"Id":1,"ResultValue":7.60,"Name":"caf\\u00e9"}',
      '{"Id":2,"Nested":{"a":[1,2,{"b":"]}"}]},"Q":"say \\"hi\\""}',
    ]);
  });

  it('drops the whitespace between tokens of a pretty-printed page, not inside strings', () => {
    const raw = '{\n  "value": [\n    {\n      "Id": 1,\n      "Name": "two  spaces"\n    }\n  ]\n}';
    expect(rawValueRows(raw)).toEqual(['{"Id":1,"Name":"two  spaces"}']);
  });

  it('reads an empty value list, and refuses a page without one', () => {
    expect(rawValueRows('{"value":[]}')).toEqual([]);
    expect(() => rawValueRows('{"message":"x"}')).toThrow(/no value list/);
  });
});
