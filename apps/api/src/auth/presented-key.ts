/**
 * The API key in an Authorization header: `Bearer <key>`, or HTTP Basic with the key as the password (any user name).
 * Basic is accepted because it is what a browser sends, on every request including the page's own fetches, once its
 * login prompt was answered — the only way the dashboard and the docs page can be used from a browser.
 */
export function presentedKey(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const separator = authorization.indexOf(' ');
  if (separator < 0) return undefined;
  const scheme = authorization.slice(0, separator).toLowerCase();
  const credentials = authorization.slice(separator + 1).trim();
  if (scheme === 'bearer') return credentials || undefined;
  if (scheme === 'basic') {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 && colon < decoded.length - 1 ? decoded.slice(colon + 1) : undefined;
  }
  return undefined;
}
