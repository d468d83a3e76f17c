export interface RefreshFailure {
  /** The zone or weather cell that failed. */
  key: string;
  message: string;
}

/** A whole fleet's cells failing at once (the API is down) must not make a message of megabytes. */
const LISTED_FAILURES = 5;

/**
 * Some zones or cells could not be refreshed. Thrown after the others were stored and announced, so the
 * scheduler's retry redoes only what failed (the rest is unchanged by then and announces nothing).
 */
export class PartialRefreshError extends Error {
  constructor(
    what: string,
    total: number,
    readonly failures: readonly RefreshFailure[],
    /** The outcomes of the zones or cells that did refresh, so the caller can still report on them. */
    readonly refreshed: readonly unknown[] = [],
  ) {
    const listed = failures.slice(0, LISTED_FAILURES).map((f) => `${f.key}: ${f.message}`);
    if (failures.length > LISTED_FAILURES) listed.push(`and ${failures.length - LISTED_FAILURES} more`);
    super(`${what} failed for ${failures.length} of ${total}: ${listed.join('; ')}`);
    this.name = 'PartialRefreshError';
  }
}

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));
