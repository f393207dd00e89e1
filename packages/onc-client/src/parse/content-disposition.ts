// Content-Disposition as ONC and proxies send it: `attachment; filename=X.csv` (unquoted),
// `attachment; filename="X.csv"` (quoted-string, backslash escapes) and RFC 6266/5987
// `attachment; filename*=UTF-8''%E2%82%AC.csv; filename="fallback.csv"`, where filename* wins.

interface DispositionParameter {
  name: string;
  value: string;
}

/** Splits the parameters after the disposition type, honouring quoted strings that contain ";". */
function readParameters(header: string): DispositionParameter[] {
  const parameters: DispositionParameter[] = [];
  let position = header.indexOf(';');
  while (position !== -1 && position < header.length) {
    position += 1;
    const equals = header.indexOf('=', position);
    if (equals === -1) break;
    const nextSeparator = header.indexOf(';', position);
    if (nextSeparator !== -1 && nextSeparator < equals) {
      position = nextSeparator; // a parameter without a value, e.g. "attachment; inline; filename=x"
      continue;
    }
    const name = header.slice(position, equals).trim().toLowerCase();
    let cursor = equals + 1;
    while (header[cursor] === ' ' || header[cursor] === '\t') cursor += 1;
    let value = '';
    if (header[cursor] === '"') {
      cursor += 1;
      while (cursor < header.length && header[cursor] !== '"') {
        if (header[cursor] === '\\' && cursor + 1 < header.length) cursor += 1;
        value += header[cursor];
        cursor += 1;
      }
      position = header.indexOf(';', cursor + 1);
    } else {
      const end = header.indexOf(';', cursor);
      value = (end === -1 ? header.slice(cursor) : header.slice(cursor, end)).trim();
      position = end;
    }
    parameters.push({ name, value });
  }
  return parameters;
}

/** Decodes an RFC 5987 ext-value: charset'language'percent-encoded-bytes. */
function decodeExtendedValue(value: string): string | undefined {
  const match = /^([\w!#$%&+^`{}~-]*)'[^']*'(.*)$/.exec(value);
  if (match === null) return undefined;
  const charset = match[1]!.toLowerCase();
  const encoded = match[2]!;
  try {
    if (charset === 'utf-8' || charset === '') return decodeURIComponent(encoded);
    if (charset === 'iso-8859-1') {
      return encoded.replace(/%([0-9a-f]{2})/gi, (_whole, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    }
  } catch {
    return undefined; // malformed percent-encoding: fall back to the plain filename
  }
  return undefined;
}

/**
 * The file name from a Content-Disposition header, with quoting and encoding removed. The result is UNTRUSTED
 * server text and is not sanitised: callers must keep it from choosing a path.
 */
export function parseContentDisposition(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const parameters = readParameters(header);
  const extended = parameters.find((parameter) => parameter.name === 'filename*');
  const decoded = extended === undefined ? undefined : decodeExtendedValue(extended.value);
  if (decoded !== undefined && decoded !== '') return decoded;
  const plain = parameters.find((parameter) => parameter.name === 'filename');
  return plain === undefined || plain.value === '' ? undefined : plain.value;
}
