/** Keys and a certificate AWS IoT created; the private key exists only in this answer. */
export interface IssuedCertificate {
  certificateArn: string;
  certificateId: string;
  certificatePem: string;
  publicKey: string;
  privateKey: string;
}

export interface ThingSummary {
  thingName: string;
  thingArn: string;
  attributes: Record<string, string>;
}

/**
 * The AWS IoT registry: things, thing groups, certificates. Every call is idempotent in effect: creating what
 * exists with the same content, removing what is gone, succeeds.
 */
export interface ThingRegistry {
  /** Creates the thing, or sets its attributes to exactly these when it exists. */
  putThing(thingName: string, attributes: Record<string, string>): Promise<{ thingArn: string }>;
  describeThing(thingName: string): Promise<ThingSummary | undefined>;
  deleteThing(thingName: string): Promise<void>;
  groupsOf(thingName: string): Promise<string[]>;
  /** Adds the thing to a group, creating the group when it does not exist. */
  addToGroup(thingName: string, groupName: string): Promise<void>;
  removeFromGroup(thingName: string, groupName: string): Promise<void>;
  /** Things in a group; none when the group does not exist. */
  thingsInGroup(groupName: string): Promise<string[]>;
  /** Certificate ARNs attached to the thing. */
  principalsOf(thingName: string): Promise<string[]>;
  /** New keys and an active certificate. */
  issueCertificate(): Promise<IssuedCertificate>;
  /** Whether this account and region hold the certificate (any status): an ARN given by a caller may name none. */
  hasCertificate(certificateArn: string): Promise<boolean>;
  /** Attaches the device policy to the certificate and the certificate to the thing. */
  attachCertificate(thingName: string, certificateArn: string): Promise<void>;
  /**
   * Detaches the certificate from the thing and the device policy, and when no other thing uses it,
   * deactivates and deletes it. Answers whether it was deleted.
   */
  retireCertificate(thingName: string, certificateArn: string): Promise<'deleted' | 'detached'>;
}
