import type { Clock } from '../../ports/clock.ts';
import type { KnownDevices } from '../../ports/known-devices.ts';

export interface KnownDevicesCacheOptions {
  /** How long a device found in the registry is trusted to stay there. */
  knownTtlMs: number;
  /** How long an absent device stays refused before the registry is asked again (it may just have been added). */
  unknownTtlMs: number;
  /** Entries kept at most; the oldest go first. */
  maxEntries: number;
}

export const DEFAULT_KNOWN_DEVICES_CACHE: KnownDevicesCacheOptions = { knownTtlMs: 10 * 60_000, unknownTtlMs: 60_000, maxEntries: 200_000 };

/**
 * Registry membership remembered per container: a warm ingest function asks the registry only about devices
 * it has not seen lately, so a batch of 100 messages costs no read at all in the steady state, and at most one
 * BatchGetItem otherwise. A decommissioned device is refused within `knownTtlMs`; a new one accepted within
 * `unknownTtlMs`.
 */
export class CachedKnownDevices implements KnownDevices {
  private readonly entries = new Map<string, { known: boolean; until: number }>();

  constructor(
    private readonly inner: KnownDevices,
    private readonly clock: Clock,
    private readonly options: KnownDevicesCacheOptions = DEFAULT_KNOWN_DEVICES_CACHE,
  ) {}

  async known(deviceIds: readonly string[]): Promise<Set<string>> {
    const now = this.clock.now().getTime();
    const result = new Set<string>();
    const ask: string[] = [];
    for (const id of new Set(deviceIds)) {
      const entry = this.entries.get(id);
      if (entry && entry.until > now) {
        if (entry.known) result.add(id);
      } else {
        ask.push(id);
      }
    }
    if (ask.length === 0) return result;
    const found = await this.inner.known(ask);
    for (const id of ask) {
      const known = found.has(id);
      if (known) result.add(id);
      // Re-inserted, so the Map's order stays oldest-first for eviction.
      this.entries.delete(id);
      this.entries.set(id, { known, until: now + (known ? this.options.knownTtlMs : this.options.unknownTtlMs) });
    }
    for (const id of this.entries.keys()) {
      if (this.entries.size <= this.options.maxEntries) break;
      this.entries.delete(id);
    }
    return result;
  }
}
