import { randomUUID } from 'node:crypto';

/**
 * The AWS IoT registry in memory — things, thing groups, certificates, policies and what is attached to what —
 * with the rules AWS enforces, as the developer guide and API reference state them. No I/O: the HTTP service
 * (control-plane-service.ts) calls these and turns a RegistryError into the restJson1 error the SDK expects.
 */
export class RegistryError extends Error {
  constructor(
    readonly type: 'ResourceNotFoundException' | 'ResourceAlreadyExistsException' | 'InvalidRequestException' | 'DeleteConflictException' | 'CertificateStateException' | 'VersionConflictException',
    message: string,
    readonly status: number,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

const notFound = (what: string) => new RegistryError('ResourceNotFoundException', `${what} does not exist`, 404);
const invalid = (message: string) => new RegistryError('InvalidRequestException', message, 400);

export interface Thing {
  thingName: string;
  thingId: string;
  thingArn: string;
  attributes: Record<string, string>;
  version: number;
}

export interface ThingGroup {
  groupName: string;
  groupId: string;
  groupArn: string;
  description?: string;
  members: Set<string>;
}

export interface Certificate {
  certificateId: string;
  certificateArn: string;
  certificatePem: string;
  status: 'ACTIVE' | 'INACTIVE';
  creationDate: number;
}

const NAME = /^[a-zA-Z0-9:_-]{1,128}$/;
const ATTRIBUTE_NAME = /^[a-zA-Z0-9_.,@/:#-]{1,128}$/;
const ATTRIBUTE_VALUE = /^[a-zA-Z0-9_.,@/:#=[\]-]{0,800}$/;
/** AWS: a thing without a thing type has at most three attributes (Hearth sets exactly three). */
const MAX_ATTRIBUTES = 3;

function checkName(kind: string, name: string): void {
  if (!NAME.test(name)) throw invalid(`Invalid ${kind} '${name}': 1 to 128 of [a-zA-Z0-9:_-]`);
}

function checkAttributes(attributes: Record<string, string>): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (!ATTRIBUTE_NAME.test(name)) throw invalid(`Invalid attribute name '${name}'`);
    if (typeof value !== 'string' || !ATTRIBUTE_VALUE.test(value)) throw invalid(`Invalid value for attribute '${name}'`);
  }
  if (Object.keys(attributes).length > MAX_ATTRIBUTES) throw invalid(`A thing without a thing type has at most ${MAX_ATTRIBUTES} attributes`);
}

const sameAttributes = (a: Record<string, string>, b: Record<string, string>): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

export class ThingRegistryModel {
  readonly things = new Map<string, Thing>();
  readonly groups = new Map<string, ThingGroup>();
  readonly certificates = new Map<string, Certificate>();
  readonly policies = new Map<string, string>();
  /** thing name → certificate ARNs attached to it. */
  private readonly thingPrincipals = new Map<string, Set<string>>();
  /** policy name → targets (certificate ARNs) it is attached to. */
  private readonly policyTargets = new Map<string, Set<string>>();

  constructor(
    private readonly region: string,
    private readonly account: string,
  ) {}

  private arn(resource: string, name: string): string {
    return `arn:aws:iot:${this.region}:${this.account}:${resource}/${name}`;
  }

  createPolicy(policyName: string, document: string): void {
    checkName('policyName', policyName);
    if (this.policies.has(policyName)) throw new RegistryError('ResourceAlreadyExistsException', `Policy ${policyName} already exists`, 409);
    this.policies.set(policyName, document);
    this.policyTargets.set(policyName, new Set());
  }

  /** Succeeds unchanged when the thing exists with the same attributes (AWS: "the call will succeed"). */
  createThing(thingName: string, attributes: Record<string, string>): Thing {
    checkName('thingName', thingName);
    checkAttributes(attributes);
    const existing = this.things.get(thingName);
    if (existing) {
      if (sameAttributes(existing.attributes, attributes)) return existing;
      throw new RegistryError('ResourceAlreadyExistsException', `Thing ${thingName} already exists with different attributes`, 409, {
        resourceId: existing.thingId,
        resourceArn: existing.thingArn,
      });
    }
    const thing: Thing = { thingName, thingId: randomUUID(), thingArn: this.arn('thing', thingName), attributes: { ...attributes }, version: 1 };
    this.things.set(thingName, thing);
    this.thingPrincipals.set(thingName, new Set());
    return thing;
  }

  describeThing(thingName: string): Thing {
    const thing = this.things.get(thingName);
    if (!thing) throw notFound(`Thing ${thingName}`);
    return thing;
  }

  /** merge: attributes named are set (an empty value removes one); otherwise they replace all. */
  updateThing(thingName: string, attributes: Record<string, string>, merge: boolean, expectedVersion?: number): void {
    const thing = this.describeThing(thingName);
    if (expectedVersion !== undefined && expectedVersion !== thing.version) {
      throw new RegistryError('VersionConflictException', `The version for thing ${thingName} does not match the expected version.`, 409);
    }
    const next = merge ? { ...thing.attributes, ...attributes } : { ...attributes };
    for (const [k, v] of Object.entries(next)) if (v === '') delete next[k];
    checkAttributes(next);
    thing.attributes = next;
    thing.version++;
  }

  /** AWS answers success for a thing that does not exist; principals must be detached first. */
  deleteThing(thingName: string): void {
    if (!this.things.has(thingName)) return;
    if ((this.thingPrincipals.get(thingName)?.size ?? 0) > 0) {
      throw invalid(`Cannot delete thing ${thingName}: it has principals attached; detach them first`);
    }
    for (const group of this.groups.values()) group.members.delete(thingName);
    this.things.delete(thingName);
    this.thingPrincipals.delete(thingName);
  }

  /** Succeeds for an existing group (AWS: same properties → success). */
  createThingGroup(groupName: string, description?: string): ThingGroup {
    checkName('thingGroupName', groupName);
    const existing = this.groups.get(groupName);
    if (existing) {
      if (existing.description === description) return existing;
      throw new RegistryError('ResourceAlreadyExistsException', `Thing group ${groupName} already exists with different properties`, 409, {
        resourceId: existing.groupId,
        resourceArn: existing.groupArn,
      });
    }
    const group: ThingGroup = {
      groupName,
      groupId: randomUUID(),
      groupArn: this.arn('thinggroup', groupName),
      ...(description !== undefined ? { description } : {}),
      members: new Set(),
    };
    this.groups.set(groupName, group);
    return group;
  }

  describeThingGroup(groupName: string): ThingGroup {
    const group = this.groups.get(groupName);
    if (!group) throw notFound(`Thing group ${groupName}`);
    return group;
  }

  addThingToGroup(thingName: string, groupName: string): void {
    const group = this.describeThingGroup(groupName);
    this.describeThing(thingName);
    group.members.add(thingName);
  }

  removeThingFromGroup(thingName: string, groupName: string): void {
    const group = this.describeThingGroup(groupName);
    this.describeThing(thingName);
    group.members.delete(thingName);
  }

  groupsOfThing(thingName: string): ThingGroup[] {
    this.describeThing(thingName);
    return [...this.groups.values()].filter((g) => g.members.has(thingName)).sort((a, b) => a.groupName.localeCompare(b.groupName));
  }

  thingsInGroup(groupName: string): string[] {
    return [...this.describeThingGroup(groupName).members].sort();
  }

  addCertificate(certificateId: string, certificatePem: string, active: boolean, now: number): Certificate {
    const certificate: Certificate = {
      certificateId,
      certificateArn: this.arn('cert', certificateId),
      certificatePem,
      status: active ? 'ACTIVE' : 'INACTIVE',
      creationDate: now,
    };
    this.certificates.set(certificateId, certificate);
    return certificate;
  }

  private certificateByArn(certificateArn: string): Certificate {
    const certificate = [...this.certificates.values()].find((c) => c.certificateArn === certificateArn);
    if (!certificate) throw notFound(`Certificate ${certificateArn}`);
    return certificate;
  }

  describeCertificate(certificateId: string): Certificate {
    const certificate = this.certificates.get(certificateId);
    if (!certificate) throw notFound(`Certificate ${certificateId}`);
    return certificate;
  }

  updateCertificate(certificateId: string, status: string): void {
    if (status !== 'ACTIVE' && status !== 'INACTIVE') throw invalid(`Invalid newStatus '${status}': ACTIVE or INACTIVE here`);
    this.describeCertificate(certificateId).status = status;
  }

  /** AWS refuses while the certificate is active, attached to a thing, or (without forceDelete) to a policy. */
  deleteCertificate(certificateId: string, forceDelete: boolean): void {
    const certificate = this.describeCertificate(certificateId);
    if (certificate.status === 'ACTIVE') {
      throw new RegistryError('CertificateStateException', 'Certificate must be deactivated (not ACTIVE) before deletion.', 406);
    }
    if (this.thingsOfPrincipal(certificate.certificateArn).length > 0) {
      throw new RegistryError('DeleteConflictException', 'Things must be detached before deletion (arn: ' + certificate.certificateArn + ')', 409);
    }
    const policies = [...this.policyTargets].filter(([, targets]) => targets.has(certificate.certificateArn)).map(([name]) => name);
    if (policies.length > 0 && !forceDelete) {
      throw new RegistryError('DeleteConflictException', `Certificate policies must be detached before deletion (policies: ${policies.join(', ')})`, 409);
    }
    for (const name of policies) this.policyTargets.get(name)!.delete(certificate.certificateArn);
    this.certificates.delete(certificateId);
  }

  attachPolicy(policyName: string, target: string): void {
    const targets = this.policyTargets.get(policyName);
    if (!targets) throw notFound(`Policy ${policyName}`);
    this.certificateByArn(target);
    targets.add(target);
  }

  detachPolicy(policyName: string, target: string): void {
    const targets = this.policyTargets.get(policyName);
    if (!targets) throw notFound(`Policy ${policyName}`);
    targets.delete(target);
  }

  policiesOf(target: string): string[] {
    return [...this.policyTargets].filter(([, targets]) => targets.has(target)).map(([name]) => name);
  }

  attachThingPrincipal(thingName: string, principal: string): void {
    this.describeThing(thingName);
    this.certificateByArn(principal);
    this.thingPrincipals.get(thingName)!.add(principal);
  }

  detachThingPrincipal(thingName: string, principal: string): void {
    this.describeThing(thingName);
    this.thingPrincipals.get(thingName)!.delete(principal);
  }

  principalsOfThing(thingName: string): string[] {
    this.describeThing(thingName);
    return [...this.thingPrincipals.get(thingName)!].sort();
  }

  thingsOfPrincipal(principal: string): string[] {
    return [...this.thingPrincipals].filter(([, principals]) => principals.has(principal)).map(([thing]) => thing).sort();
  }
}
