/** A bearer token a utility may present on the DR webhooks, and which utility it identifies. */
export interface UtilityToken {
  utility: string;
  token: string;
}

/** The tokens accepted on the DR webhooks; a utility has more than one while its token is rotated. */
export interface TokenSource {
  tokens(): Promise<UtilityToken[]>;
}

/** The utility of a deployment with a single token (`{"tokens": [...]}` or a bare token). */
export const DEFAULT_UTILITY = 'default';
