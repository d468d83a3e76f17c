/**
 * A number in [0, 1) fixed by a key (FNV-1a, 32 bits): a device's place in a staggered return is random across
 * devices but the same on every replan, so an hourly replan does not reshuffle who comes back when.
 */
export function stableShare(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // One more avalanche round, so keys differing in their last character spread over the whole range.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h / 2 ** 32;
}
