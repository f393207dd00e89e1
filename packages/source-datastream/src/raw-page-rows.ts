/**
 * The objects of a page's `value` list as the service wrote them, for JSON lines "exactly as received": a number
 * stays `7.60`, an escape stays `\u00e9`. The page was parsed already (so it is valid JSON); this walks the raw text
 * once to find where each element of the top-level `value` starts and ends, and drops only the whitespace between
 * tokens, so that each object fits on one line.
 */

const isSpace = (code: number): boolean => code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;

function skipSpace(text: string, at: number): number {
  let i = at;
  while (i < text.length && isSpace(text.charCodeAt(i))) i += 1;
  return i;
}

/** The index just past the string that starts at `at` (a `"`). */
function skipString(text: string, at: number): number {
  let i = at + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i += 2;
    else if (c === 0x22) return i + 1;
    else i += 1;
  }
  throw new Error('a string of the page is not closed');
}

/** The index just past the JSON value that starts at `at`. */
function skipValue(text: string, at: number): number {
  const first = text.charAt(at);
  if (first === '"') return skipString(text, at);
  if (first !== '{' && first !== '[') {
    let i = at;
    while (i < text.length && !',]}'.includes(text.charAt(i)) && !isSpace(text.charCodeAt(i))) i += 1;
    return i;
  }
  let depth = 0;
  let i = at;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x22) {
      i = skipString(text, i);
      continue;
    }
    // { and [ open, } and ] close.
    if (code === 0x7b || code === 0x5b) depth += 1;
    else if (code === 0x7d || code === 0x5d) {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
    i += 1;
  }
  throw new Error('a value of the page is not closed');
}

/** `json` without the whitespace between its tokens (strings keep theirs); the same string when it has none. */
export function withoutInsignificantSpace(json: string): string {
  const kept: string[] = [];
  let from = 0;
  let i = 0;
  while (i < json.length) {
    const code = json.charCodeAt(i);
    if (code === 0x22) {
      i = skipString(json, i);
    } else if (isSpace(code)) {
      kept.push(json.slice(from, i));
      while (i < json.length && isSpace(json.charCodeAt(i))) i += 1;
      from = i;
    } else {
      i += 1;
    }
  }
  if (from === 0) return json;
  kept.push(json.slice(from));
  return kept.join('');
}

function expect(text: string, at: number, char: string): void {
  if (text.charAt(at) !== char) throw new Error(`the page has '${text.charAt(at)}' where '${char}' belongs`);
}

/** The raw text of each element of the top-level `value` array of the JSON object `raw`, each on one line. */
export function rawValueRows(raw: string): string[] {
  let i = skipSpace(raw, 0);
  expect(raw, i, '{');
  i = skipSpace(raw, i + 1);
  let rows: string[] | undefined;
  while (raw.charAt(i) !== '}') {
    expect(raw, i, '"');
    const keyEnd = skipString(raw, i);
    const key = JSON.parse(raw.slice(i, keyEnd)) as string;
    i = skipSpace(raw, keyEnd);
    expect(raw, i, ':');
    i = skipSpace(raw, i + 1);
    if (key === 'value' && raw.charAt(i) === '[') {
      rows = [];
      i = skipSpace(raw, i + 1);
      while (raw.charAt(i) !== ']') {
        const end = skipValue(raw, i);
        rows.push(withoutInsignificantSpace(raw.slice(i, end)));
        i = skipSpace(raw, end);
        if (raw.charAt(i) === ',') i = skipSpace(raw, i + 1);
        else expect(raw, i, ']');
      }
      i += 1;
    } else {
      i = skipValue(raw, i);
    }
    i = skipSpace(raw, i);
    if (raw.charAt(i) === ',') i = skipSpace(raw, i + 1);
    else expect(raw, i, '}');
  }
  if (!rows) throw new Error('the page has no value list');
  return rows;
}
