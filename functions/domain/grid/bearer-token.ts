/**
 * Constant-time check of an `Authorization: Bearer …` header against the accepted tokens. Both sides are
 * hashed first so the comparison takes the same time whatever the lengths; every token is compared so the
 * time does not reveal which one matched.
 */
export async function bearerTokenMatches(header: string | undefined, accepted: readonly string[]): Promise<boolean> {
  const presented = /^Bearer (\S+)$/i.exec(header?.trim() ?? '')?.[1];
  if (!presented) return false;
  const digest = async (s: string) => new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s)));
  const p = await digest(presented);
  let matched = 0;
  for (const token of accepted) {
    const t = await digest(token);
    let diff = 0;
    for (let i = 0; i < t.length; i++) diff |= t[i]! ^ p[i]!;
    matched |= diff === 0 ? 1 : 0;
  }
  return matched === 1;
}
