/**
 * Tells a query string a client forgot to URL-encode from one it encoded, from the request target exactly as it
 * arrived (before any decoding). DataStream answers the former with 400 and the body `{"message":null}`.
 *
 * The rule: the raw query (everything after the first `?`) is *not encoded* when it holds
 *   - whitespace or a control character, or any byte outside printable ASCII (raw UTF-8 included);
 *   - one of  " ' ( ) < > [ ] { } | \ ^ `  — characters every URL encoder escapes in a value, and that a filter
 *     written by hand is full of (`in ('a', 'b')`, `endswith(DOI, '…')`);
 *   - a `%` not followed by two hexadecimal digits.
 * Everything else may stand raw: letters, digits, `- . _ ~`, `%XX`, `+` (a space in form encoding), and
 * `! $ & * , / : ; = ? @`. So the documented forms pass: `$filter=…` with a raw `$` in the name (what
 * `curl --data-urlencode` sends), `$skiptoken=Id:1234` (the documented next link) and `$select=DOI,Name`.
 *
 * Raw spaces never reach this check in practice: Node's HTTP parser refuses a request line with a space in its
 * target, and the server answers that with the same 400 (see http-handler.ts).
 */

const REFUSED = /[\s"'()<>[\]{}|\\^`]|[^\x21-\x7e]/;
const BAD_PERCENT = /%(?![0-9A-Fa-f]{2})/;

export interface UnencodedCharacter {
  /** The offending character (or `%` for a bad escape). */
  character: string;
  /** 1-based position in the raw query. */
  position: number;
}

/** The first sign that `rawQuery` (without the `?`) was not URL-encoded, or null when it looks encoded. */
export function findUnencoded(rawQuery: string): UnencodedCharacter | null {
  const refused = REFUSED.exec(rawQuery);
  const percent = BAD_PERCENT.exec(rawQuery);
  const first = [refused, percent].filter((m): m is RegExpExecArray => m !== null).sort((a, b) => a.index - b.index)[0];
  return first ? { character: first[0], position: first.index + 1 } : null;
}
