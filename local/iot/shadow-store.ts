import type { ShadowDocument } from './shadow-document.ts';

/** AWS continues a deleted shadow's version when it is recreated within 48 hours, and restarts it after. */
const VERSION_MEMORY_S = 48 * 3600;

interface Tombstone {
  version: number;
  deletedAt: number;
}

/**
 * Freezes a document in place, all the way down; parts frozen before (shared with an earlier version of the
 * shadow) are not walked again.
 */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const item of Object.values(value)) deepFreeze(item);
  return Object.freeze(value);
}

/**
 * The local shadows, in memory. The classic shadow of a thing has no name; named shadows are independent.
 * Stored documents are frozen rather than copied on every read and write (a 192-step plan's metadata is a few
 * hundred objects): what a caller gets cannot change the stored shadow, and an attempt to throws.
 */
export class ShadowStore {
  private readonly shadows = new Map<string, ShadowDocument>();
  private readonly tombstones = new Map<string, Tombstone>();

  private static key(thingName: string, shadowName: string | undefined): string {
    return JSON.stringify([thingName, shadowName ?? null]);
  }

  /** Frozen: what callers do with it never changes the stored shadow. */
  get(thingName: string, shadowName?: string): Readonly<ShadowDocument> | undefined {
    return this.shadows.get(ShadowStore.key(thingName, shadowName));
  }

  /** Takes ownership of the document, which is frozen from then on. */
  put(thingName: string, shadowName: string | undefined, document: ShadowDocument): void {
    const key = ShadowStore.key(thingName, shadowName);
    this.shadows.set(key, deepFreeze(document));
    this.tombstones.delete(key);
  }

  /** Removes a shadow and returns what it held; undefined when there was none. */
  delete(thingName: string, shadowName: string | undefined, now: number): ShadowDocument | undefined {
    const key = ShadowStore.key(thingName, shadowName);
    const document = this.shadows.get(key);
    if (!document) return undefined;
    this.shadows.delete(key);
    this.tombstones.set(key, { version: document.version, deletedAt: now });
    return document;
  }

  /** The version a shadow created at `now` follows: a recently deleted one's, else 0. */
  versionBeforeCreate(thingName: string, shadowName: string | undefined, now: number): number {
    const tombstone = this.tombstones.get(ShadowStore.key(thingName, shadowName));
    return tombstone && now - tombstone.deletedAt <= VERSION_MEMORY_S ? tombstone.version : 0;
  }

  /** Names of a thing's named shadows, sorted; the classic shadow is not one of them. */
  namedShadows(thingName: string): string[] {
    const names: string[] = [];
    for (const key of this.shadows.keys()) {
      const [thing, name] = JSON.parse(key) as [string, string | null];
      if (thing === thingName && name !== null) names.push(name);
    }
    return names.sort();
  }

  clear(): void {
    this.shadows.clear();
    this.tombstones.clear();
  }
}
