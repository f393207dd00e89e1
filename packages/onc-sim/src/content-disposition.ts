/**
 * The Content-Disposition header for a served file. Names are the server's and may be hostile (`..`, `/`,
 * absolute paths, quotes): the simulator sends them as given, within what an HTTP header can carry.
 */
import type { Behaviour } from './behaviour.js';

/**
 * Control characters, which a header cannot carry, become `_`; non-ASCII characters become `?` (Node refuses or
 * silently alters non-ASCII Content-Disposition values once Content-Length is set). The 'rfc6266' form carries
 * the exact name in `filename*`.
 */
function headerSafe(name: string): string {
  return Array.from(name, (ch) => {
    const c = ch.codePointAt(0) ?? 0;
    if (c > 0x7f) return '?';
    return (c < 0x20 && c !== 0x09) || c === 0x7f ? '_' : ch;
  }).join('');
}

const quoted = (name: string) => `"${name.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/** RFC 8187 value-chars: everything else is percent-encoded from UTF-8. */
const extValue = (name: string) =>
  `UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;

export function contentDisposition(name: string, form: Behaviour['filenameQuoting']): string {
  switch (form) {
    case 'unquoted':
      return `attachment; filename=${headerSafe(name)}`;
    case 'quoted':
      return `attachment; filename=${quoted(headerSafe(name))}`;
    case 'rfc6266':
      return `attachment; filename=${quoted(headerSafe(name))}; filename*=${extValue(name)}`;
    default: {
      const never: never = form;
      throw new Error(`unknown filename form ${String(never)}`);
    }
  }
}
