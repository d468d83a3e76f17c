import type { UtilityToken } from '../../ports/token-source.ts';

/**
 * Constant-time check of an `Authorization: Bearer …` header against the accepted tokens; answers the
 * utility whose token it is. Both sides are hashed first so the comparison takes the same time whatever the
 * lengths; every token is compared so the time does not reveal which one matched.
 */
export async function utilityOfBearerToken(header: string | undefined, accepted: readonly UtilityToken[]): Promise<string | undefined> {
  const presented = /^Bearer (\S+)$/i.exec(header?.trim() ?? '')?.[1];
  if (!presented) return undefined;
  const digest = async (s: string) => new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s)));
  const p = await digest(presented);
  let utility: string | undefined;
  for (const candidate of accepted) {
    const t = await digest(candidate.token);
    let diff = 0;
    for (let i = 0; i < t.length; i++) diff |= t[i]! ^ p[i]!;
    if (diff === 0 && utility === undefined) utility = candidate.utility;
  }
  return utility;
}
