export const REDACTED = 'REDACTED';

// `\b` keeps "dpo_token=" and similar longer names untouched; the value ends where a query value would.
const TOKEN_QUERY_VALUE = /\btoken=[^&#\s"'<>]*/gi;

function replaceEvery(text: string, search: string, replacement: string): string {
  return search === '' ? text : text.split(search).join(replacement);
}

/**
 * Removes an ONC token from text headed for a log, a metric or an error message: every `token=...` query value,
 * and every literal occurrence of the token itself (raw and URL-encoded) wherever it appears.
 */
export function redactToken(text: string, token?: string): string {
  let redacted = text.replace(TOKEN_QUERY_VALUE, `token=${REDACTED}`);
  if (token !== undefined && token !== '') {
    redacted = replaceEvery(redacted, token, REDACTED);
    redacted = replaceEvery(redacted, encodeURIComponent(token), REDACTED);
    redacted = replaceEvery(redacted, new URLSearchParams({ t: token }).toString().slice(2), REDACTED);
  }
  return redacted;
}
