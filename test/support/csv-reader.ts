/**
 * Reads CSV as RFC 4180 defines it (quoted fields, doubled quotes, CRLF or LF inside quotes), for tests that check a
 * written CSV file cell by cell. Written apart from the writer it checks, on purpose.
 */
export function readCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i += 1;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 1;
    } else if (c === '\n') {
      throw new Error(`a bare LF outside quotes at ${i}: RFC 4180 ends lines with CRLF`);
    } else field += c;
    i += 1;
  }
  if (quoted) throw new Error('a quoted field is never closed');
  if (field !== '' || record.length > 0) throw new Error('the last line has no CRLF');
  return records;
}
