import { describe, expect, it } from 'vitest';
import { parseWebcoosSettings, webcoosIsConfigured } from '../src/index.js';

describe('WebCOOS settings', () => {
  it('are enabled by a token, or by an address that is not WebCOOS itself', () => {
    expect(webcoosIsConfigured(parseWebcoosSettings({}))).toBe(false);
    expect(webcoosIsConfigured(parseWebcoosSettings({ WEBCOOS_TOKEN: 'abc' }))).toBe(true);
    expect(
      webcoosIsConfigured(parseWebcoosSettings({ WEBCOOS_BASE_URL: 'https://staging.webcoos.org/webcoos/api/v1' })),
    ).toBe(false);
    expect(
      webcoosIsConfigured(parseWebcoosSettings({ WEBCOOS_BASE_URL: 'http://127.0.0.1:8767/webcoos/api/v1' })),
    ).toBe(true);
  });

  it('default to five calls a second and four downloads at once, and refuse what they cannot read', () => {
    expect(parseWebcoosSettings({})).toMatchObject({
      WEBCOOS_BASE_URL: 'https://app.webcoos.org/webcoos/api/v1',
      WEBCOOS_MAX_RPS: 5,
      WEBCOOS_MAX_DOWNLOADS: 4,
    });
    expect(() => parseWebcoosSettings({ WEBCOOS_MAX_DOWNLOADS: '0' })).toThrow(/WEBCOOS_MAX_DOWNLOADS/);
    expect(() => parseWebcoosSettings({ WEBCOOS_BASE_URL: 'not a url' })).toThrow(/WEBCOOS_BASE_URL/);
  });
});
