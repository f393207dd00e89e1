import { createHash, timingSafeEqual } from 'node:crypto';

/** SHA-256 digests are all 32 bytes long, so comparing digests compares equal-length buffers whatever the keys. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * A check of a presented key against the configured ones in constant time: comparing digests hides the keys'
 * lengths, and every key is compared even after a match, so the time taken does not tell which key came close.
 */
export function createApiKeyMatcher(keys: readonly string[]): (candidate: string) => boolean {
  const digests = keys.map(digest);
  return (candidate) => {
    const presented = digest(candidate);
    let matched = false;
    for (const key of digests) matched = timingSafeEqual(presented, key) || matched;
    return matched;
  };
}
