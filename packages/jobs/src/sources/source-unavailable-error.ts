/** An order names a source this deployment does not serve, or one whose settings are missing. */
export class SourceUnavailableError extends Error {
  constructor(
    readonly source: string,
    /** The settings the source lacks, when it is known but not configured. */
    readonly missingSetting: string | undefined,
    readonly enabled: readonly string[],
  ) {
    super(
      missingSetting
        ? `source "${source}" is not configured here: set ${missingSetting}`
        : `unknown source "${source}"; this deployment serves: ${enabled.join(', ') || 'none'}`,
    );
    this.name = 'SourceUnavailableError';
  }
}
