import {
  AddThingToThingGroupCommand,
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DeleteCertificateCommand,
  DeleteThingCommand,
  DescribeCertificateCommand,
  DescribeThingCommand,
  DetachPolicyCommand,
  DetachThingPrincipalCommand,
  ListPrincipalThingsCommand,
  ListThingGroupsForThingCommand,
  ListThingPrincipalsCommand,
  ListThingsInThingGroupCommand,
  RemoveThingFromThingGroupCommand,
  UpdateCertificateCommand,
  UpdateThingCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import type { IssuedCertificate, ThingRegistry, ThingSummary } from '../../ports/thing-registry.ts';

const named = (error: unknown, ...names: string[]): boolean => names.includes((error as { name?: string }).name ?? '');

/** `…:cert/<id>` → `<id>`. */
export const certificateIdOf = (certificateArn: string): string => certificateArn.slice(certificateArn.lastIndexOf('/') + 1);

async function ignoring<T>(names: string[], call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (e) {
    if (named(e, ...names)) return undefined;
    throw e;
  }
}

/** Every page of a paginated list call. */
async function allPages<T>(page: (nextToken: string | undefined) => Promise<{ items: T[]; nextToken?: string | undefined }>): Promise<T[]> {
  const items: T[] = [];
  let nextToken: string | undefined;
  do {
    const out = await page(nextToken);
    items.push(...out.items);
    nextToken = out.nextToken;
  } while (nextToken);
  return items;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** AWS detaches principals asynchronously: a certificate may still count as attached for a moment after. */
const DELETE_CERTIFICATE_ATTEMPTS = 5;

/** The AWS IoT registry through `@aws-sdk/client-iot`; the device policy named at construction goes on every certificate. */
export class IotThingRegistry implements ThingRegistry {
  constructor(
    private readonly client: IoTClient,
    private readonly devicePolicyName: string,
  ) {}

  async putThing(thingName: string, attributes: Record<string, string>): Promise<{ thingArn: string }> {
    try {
      const out = await this.client.send(new CreateThingCommand({ thingName, attributePayload: { attributes } }));
      return { thingArn: out.thingArn! };
    } catch (e) {
      // Exists with other attributes: replace them (merge false drops attributes no longer named).
      if (!named(e, 'ResourceAlreadyExistsException')) throw e;
      await this.client.send(new UpdateThingCommand({ thingName, attributePayload: { attributes, merge: false } }));
      const thing = await this.describeThing(thingName);
      if (!thing) throw new Error(`thing ${thingName} vanished while being updated`);
      return { thingArn: thing.thingArn };
    }
  }

  async describeThing(thingName: string): Promise<ThingSummary | undefined> {
    const out = await ignoring(['ResourceNotFoundException'], () => this.client.send(new DescribeThingCommand({ thingName })));
    return out ? { thingName, thingArn: out.thingArn!, attributes: out.attributes ?? {} } : undefined;
  }

  async deleteThing(thingName: string): Promise<void> {
    await ignoring(['ResourceNotFoundException'], () => this.client.send(new DeleteThingCommand({ thingName })));
  }

  async groupsOf(thingName: string): Promise<string[]> {
    const groups = await ignoring(['ResourceNotFoundException'], () =>
      allPages(async (nextToken) => {
        const out = await this.client.send(new ListThingGroupsForThingCommand({ thingName, nextToken }));
        return { items: (out.thingGroups ?? []).map((g) => g.groupName!), nextToken: out.nextToken };
      }),
    );
    return groups ?? [];
  }

  async addToGroup(thingName: string, groupName: string): Promise<void> {
    try {
      await this.client.send(new AddThingToThingGroupCommand({ thingName, thingGroupName: groupName }));
    } catch (e) {
      if (!named(e, 'ResourceNotFoundException')) throw e;
      // The group is missing (the thing exists: it was just put). Another registration may create it meanwhile.
      await ignoring(['ResourceAlreadyExistsException'], () =>
        this.client.send(new CreateThingGroupCommand({ thingGroupName: groupName, thingGroupProperties: { thingGroupDescription: 'Hearth devices' } })),
      );
      await this.client.send(new AddThingToThingGroupCommand({ thingName, thingGroupName: groupName }));
    }
  }

  async removeFromGroup(thingName: string, groupName: string): Promise<void> {
    await ignoring(['ResourceNotFoundException'], () => this.client.send(new RemoveThingFromThingGroupCommand({ thingName, thingGroupName: groupName })));
  }

  async thingsInGroup(groupName: string): Promise<string[]> {
    const things = await ignoring(['ResourceNotFoundException'], () =>
      allPages(async (nextToken) => {
        const out = await this.client.send(new ListThingsInThingGroupCommand({ thingGroupName: groupName, nextToken }));
        return { items: out.things ?? [], nextToken: out.nextToken };
      }),
    );
    return things ?? [];
  }

  async principalsOf(thingName: string): Promise<string[]> {
    const principals = await ignoring(['ResourceNotFoundException'], () =>
      allPages(async (nextToken) => {
        const out = await this.client.send(new ListThingPrincipalsCommand({ thingName, nextToken }));
        return { items: out.principals ?? [], nextToken: out.nextToken };
      }),
    );
    return principals ?? [];
  }

  async issueCertificate(): Promise<IssuedCertificate> {
    const out = await this.client.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    return {
      certificateArn: out.certificateArn!,
      certificateId: out.certificateId!,
      certificatePem: out.certificatePem!,
      publicKey: out.keyPair!.PublicKey!,
      privateKey: out.keyPair!.PrivateKey!,
    };
  }

  async hasCertificate(certificateArn: string): Promise<boolean> {
    const out = await ignoring(['ResourceNotFoundException', 'InvalidRequestException'], () =>
      this.client.send(new DescribeCertificateCommand({ certificateId: certificateIdOf(certificateArn) })),
    );
    // The same certificate has the same id in every region and account: the ARN must be this one's.
    return out?.certificateDescription?.certificateArn === certificateArn;
  }

  async attachCertificate(thingName: string, certificateArn: string): Promise<void> {
    // Both calls succeed when already attached.
    await this.client.send(new AttachPolicyCommand({ policyName: this.devicePolicyName, target: certificateArn }));
    await this.client.send(new AttachThingPrincipalCommand({ thingName, principal: certificateArn }));
  }

  async retireCertificate(thingName: string, certificateArn: string): Promise<'deleted' | 'detached'> {
    await ignoring(['ResourceNotFoundException'], () => this.client.send(new DetachThingPrincipalCommand({ thingName, principal: certificateArn })));
    const others =
      (await ignoring(['ResourceNotFoundException'], () =>
        allPages(async (nextToken) => {
          const out = await this.client.send(new ListPrincipalThingsCommand({ principal: certificateArn, nextToken }));
          return { items: out.things ?? [], nextToken: out.nextToken };
        }),
      )) ?? [];
    if (others.some((thing) => thing !== thingName)) return 'detached';
    const certificateId = certificateIdOf(certificateArn);
    await ignoring(['ResourceNotFoundException'], () => this.client.send(new DetachPolicyCommand({ policyName: this.devicePolicyName, target: certificateArn })));
    await ignoring(['ResourceNotFoundException'], () => this.client.send(new UpdateCertificateCommand({ certificateId, newStatus: 'INACTIVE' })));
    for (let attempt = 1; ; attempt++) {
      try {
        await ignoring(['ResourceNotFoundException'], () => this.client.send(new DeleteCertificateCommand({ certificateId })));
        return 'deleted';
      } catch (e) {
        if (!named(e, 'DeleteConflictException') || attempt >= DELETE_CERTIFICATE_ATTEMPTS) throw e;
        await sleep(200 * 2 ** attempt);
      }
    }
  }
}
