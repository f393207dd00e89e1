/**
 * How the simulated discovery services write what the documents leave open (onc-discovery.md). Simulator-wide;
 * changeable while it runs (`configure`).
 */

export interface DiscoveryOptions {
  /**
   * Whether the `hasDeviceData` / `hasPropertyData` flags of every discovery answer are the strings "true"/"false"
   * instead of JSON booleans (the official Python client converts them back, so ONC sends them that way at times).
   * Default false.
   */
  stringBooleans: boolean;
  /**
   * How dataProducts names a `dpo_` option in `dataProductOptions[].option`: 'bare' (`qualityControl`, as the
   * protocol note says) or 'dpo_' (`dpo_qualityControl`, as the Python client's docstring example shows). Default
   * 'bare'.
   */
  optionNames: 'bare' | 'dpo_';
}

export const defaultDiscoveryOptions: Readonly<DiscoveryOptions> = Object.freeze({
  stringBooleans: false,
  optionNames: 'bare',
});

/** `patch` over `base`; `undefined` fields do not override. Throws on values that make no sense. */
export function mergeDiscoveryOptions(
  base: DiscoveryOptions,
  patch: Partial<DiscoveryOptions> | undefined,
): DiscoveryOptions {
  const out: DiscoveryOptions = { ...base };
  for (const [key, value] of Object.entries(patch ?? {}))
    if (value !== undefined) (out as unknown as Record<string, unknown>)[key] = value;
  if (typeof out.stringBooleans !== 'boolean') throw new RangeError('discovery.stringBooleans must be true or false');
  if (out.optionNames !== 'bare' && out.optionNames !== 'dpo_')
    throw new RangeError('discovery.optionNames must be "bare" or "dpo_"');
  return out;
}
