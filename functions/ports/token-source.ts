/** The bearer tokens a utility may present on the DR webhook; more than one while a token is rotated. */
export interface TokenSource {
  tokens(): Promise<string[]>;
}
