/**
 * Where the VEN finds its VTN and how it signs in (OAuth2 client credentials), from a secret the operator
 * fills in on enrolment with a utility.
 */
export interface VtnCredentials {
  vtnUrl: string;
  clientId: string;
  clientSecret: string;
  /** The token endpoint; absent: asked of the VTN (`GET /auth/server`), else `<vtnUrl>/auth/token`. */
  tokenUrl?: string;
  scope?: string;
  /** Our name at the VTN (subscriptions, reports); absent: the client id. */
  clientName?: string;
  /** Where the VTN posts notifications (`<DrWebhookUrl>/openadr3/callback`); absent: polling only. */
  callbackUrl?: string;
  /** Whose DR webhook token the subscription registers (the token secret's utility key); absent: the default. */
  utility?: string;
}

export interface VtnCredentialsSource {
  /** Undefined when no VTN is configured (no secret, or an empty one): the VEN then does nothing. */
  credentials(): Promise<VtnCredentials | undefined>;
}
