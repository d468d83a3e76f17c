import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../../functions/handlers/devices-api.ts';
import type { DeviceRegistry, DeviceStatusStore } from '../../../functions/ports/stores.ts';
import type { IssuedCertificate, ThingRegistry, ThingSummary } from '../../../functions/ports/thing-registry.ts';
import { generateFleet } from '../../../local/fleet/generate-fleet.ts';
import { ThingRegistryModel } from '../../../local/iot/thing-registry-model.ts';
import { DeviceRecord } from '../../../schemas/device.ts';
import { httpEvent } from '../../support/http-event.ts';
import { lambdaContext } from '../../support/sqs-event.ts';
import { mutatedJson, mutatedText, randomDocument, RUNS } from './support/mutations.ts';

/**
 * Device registration (POST /devices → schemas/device-registration.ts → functions/domain/devices/register-device.ts),
 * 10,000 bodies: random text and JSON, and edits of valid registrations of generated heaters (with and without a
 * certificate ARN, DR program, feeder and tariff). The IoT registry behind it is the local model of AWS IoT's
 * registry (local/iot/thing-registry-model.ts), which enforces the rules AWS does: thing, group and attribute
 * names, attribute values, existing certificates. The API answers 400 naming the problem with nothing
 * registered, 413, or 201 with the thing, its groups, a certificate and the record in place; registering the
 * same body again changes nothing and issues no second certificate. It never throws (a 500 without a reason).
 */
const POLICY = 'hearth-device';
const EXISTING_CERTIFICATE_ID = 'a1'.repeat(32);

/** The AWS IoT registry port over the local model: the SDK adapter's semantics without HTTP. */
class ModelThingRegistry implements ThingRegistry {
  readonly model = new ThingRegistryModel('eu-west-1', '123456789012');
  private issued = 0;
  readonly existingCertificateArn: string;

  constructor() {
    this.model.createPolicy(POLICY, '{}');
    this.existingCertificateArn = this.model.addCertificate(EXISTING_CERTIFICATE_ID, 'PEM', true, 0).certificateArn;
  }

  async putThing(thingName: string, attributes: Record<string, string>): Promise<{ thingArn: string }> {
    if (this.model.things.has(thingName)) this.model.updateThing(thingName, attributes, false);
    else this.model.createThing(thingName, attributes);
    return { thingArn: this.model.describeThing(thingName).thingArn };
  }
  async describeThing(thingName: string): Promise<ThingSummary | undefined> {
    const thing = this.model.things.get(thingName);
    return thing && { thingName, thingArn: thing.thingArn, attributes: { ...thing.attributes } };
  }
  async deleteThing(thingName: string): Promise<void> {
    this.model.deleteThing(thingName);
  }
  async groupsOf(thingName: string): Promise<string[]> {
    return this.model.things.has(thingName) ? this.model.groupsOfThing(thingName).map((g) => g.groupName) : [];
  }
  async addToGroup(thingName: string, groupName: string): Promise<void> {
    if (!this.model.groups.has(groupName)) this.model.createThingGroup(groupName);
    this.model.addThingToGroup(thingName, groupName);
  }
  async removeFromGroup(thingName: string, groupName: string): Promise<void> {
    if (this.model.groups.has(groupName)) this.model.removeThingFromGroup(thingName, groupName);
  }
  async thingsInGroup(groupName: string): Promise<string[]> {
    return this.model.groups.has(groupName) ? this.model.thingsInGroup(groupName) : [];
  }
  async principalsOf(thingName: string): Promise<string[]> {
    return this.model.things.has(thingName) ? this.model.principalsOfThing(thingName) : [];
  }
  async issueCertificate(): Promise<IssuedCertificate> {
    const certificateId = (++this.issued).toString(16).padStart(64, '0');
    const { certificateArn } = this.model.addCertificate(certificateId, 'PEM', true, 0);
    return { certificateArn, certificateId, certificatePem: 'PEM', publicKey: 'PUBLIC', privateKey: 'PRIVATE' };
  }
  /** Whether the account and region hold this certificate (DescribeCertificate by the id the ARN ends in). */
  async hasCertificate(certificateArn: string): Promise<boolean> {
    return [...this.model.certificates.values()].some((c) => c.certificateArn === certificateArn);
  }
  async attachCertificate(thingName: string, certificateArn: string): Promise<void> {
    this.model.attachPolicy(POLICY, certificateArn);
    this.model.attachThingPrincipal(thingName, certificateArn);
  }
  async retireCertificate(): Promise<'deleted' | 'detached'> {
    throw new Error('not used by registration');
  }
}

/** The registry table, validating on the way in as the DynamoDB adapter does. */
class MemoryRegistry implements Pick<DeviceRegistry, 'get' | 'put'> {
  readonly items = new Map<string, DeviceRecord>();
  async get(id: string) {
    return this.items.get(id);
  }
  async put(device: DeviceRecord) {
    this.items.set(device.deviceId, DeviceRecord.parse(device));
  }
}

const [a, b, c] = generateFleet(3, 51).map((h) => h.record);
const REGISTRATIONS: unknown[] = [
  { device: a },
  { device: { ...b, drProgramId: 'utility-1_winter', feederId: 'F-7' }, certificateArn: `arn:aws:iot:eu-west-1:123456789012:cert/${EXISTING_CERTIFICATE_ID}` },
  { device: { ...c, tariff: undefined } },
];

const bodies = fc.oneof(
  { weight: 1, arbitrary: randomDocument },
  { weight: 1, arbitrary: mutatedText(REGISTRATIONS.map((r) => JSON.stringify(r, null, 1))) },
  { weight: 5, arbitrary: mutatedJson(REGISTRATIONS) },
);

describe('device registration input, property-based', () => {
  it('answers 201 with everything registered, or 400/413 naming the problem with nothing registered; never throws', async () => {
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const things = new ModelThingRegistry();
        const registry = new MemoryRegistry();
        const handler = makeHandler({ things, registry: registry as unknown as DeviceRegistry, status: {} as DeviceStatusStore });
        const post = () => handler(httpEvent('POST', '/devices', { body }), lambdaContext);

        const out = await post();
        const answer = JSON.parse(out.body as string) as { error?: string; deviceId?: string; groups?: string[]; certificateArns?: string[]; issued?: unknown };
        if (out.statusCode !== 201) {
          expect([400, 413]).toContain(out.statusCode);
          expect(answer.error).toMatch(/^(registration is invalid: \S+: |body is not valid JSON: |body is \d+ bytes|\w+ '.*' cannot be an IoT thing attribute|certificateArn \S+ names no certificate)/s);
          expect(registry.items.size).toBe(0);
          expect(things.model.things.size).toBe(0);
          return;
        }
        const sent = (JSON.parse(body) as { device: DeviceRecord }).device;
        const id = answer.deviceId!;
        expect(registry.items.get(id)).toEqual(DeviceRecord.parse(sent));
        expect((await things.groupsOf(id)).sort()).toEqual([...answer.groups!].sort());
        expect(await things.principalsOf(id)).toEqual([...answer.certificateArns!].sort());
        expect(answer.certificateArns!.length).toBeGreaterThan(0);

        // The same registration again (a retry): the same outcome, no second certificate.
        const again = await post();
        expect(again.statusCode).toBe(201);
        expect(JSON.parse(again.body as string)).not.toHaveProperty('issued');
        expect(await things.principalsOf(id)).toEqual([...answer.certificateArns!].sort());
        expect(registry.items.size).toBe(1);
      }),
      RUNS,
    );
  });
});
