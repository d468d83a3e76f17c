import { check } from '../../../schemas/explain.ts';
import { DeviceRegistration } from '../../../schemas/device-registration.ts';
import type { IssuedCertificate } from '../../ports/thing-registry.ts';
import type { DeviceAdminPorts } from './device-admin-ports.ts';
import { isManagedGroup, thingAttributesOf, thingGroupsOf } from './thing-groups.ts';

export type RegisterOutcome =
  | {
      ok: true;
      deviceId: string;
      thingArn: string;
      groups: string[];
      /** Certificates attached to the thing now. */
      certificateArns: string[];
      /** Present only when this call created it: its private key is not kept anywhere else. */
      issued?: IssuedCertificate;
    }
  | { ok: false; reason: string };

/**
 * Registers a device, or brings a registered one in line with a changed record: the IoT thing with its
 * attributes, its zone / DR program / feeder thing groups (created when missing; groups it left are left), a
 * certificate with the device policy (the one given, else one created here unless the thing already has one),
 * then the registry record. The record comes last: telemetry is accepted once the thing is complete. Every
 * step is idempotent, so a failed registration is repaired by running it again.
 */
export async function registerDevice(input: unknown, ports: DeviceAdminPorts): Promise<RegisterOutcome> {
  const checked = check(DeviceRegistration, input);
  if (!checked.ok) return { ok: false, reason: `registration is invalid: ${checked.error}` };
  const { device, certificateArn } = checked.value;
  const attributes = thingAttributesOf(device);
  if (!attributes.ok) return { ok: false, reason: attributes.reason };
  const { things } = ports;
  const id = device.deviceId;
  // Checked before anything is created, so a registration refused here leaves nothing half-registered.
  if (certificateArn !== undefined && !(await things.hasCertificate(certificateArn))) {
    return { ok: false, reason: `certificateArn ${certificateArn} names no certificate in this account and region` };
  }

  const { thingArn } = await things.putThing(id, attributes.attributes);
  const groups = thingGroupsOf(device);
  const current = await things.groupsOf(id);
  for (const group of groups.filter((g) => !current.includes(g))) await things.addToGroup(id, group);
  for (const group of current.filter((g) => isManagedGroup(g) && !groups.includes(g))) await things.removeFromGroup(id, group);

  const principals = await things.principalsOf(id);
  let issued: IssuedCertificate | undefined;
  if (certificateArn !== undefined) {
    if (!principals.includes(certificateArn)) await things.attachCertificate(id, certificateArn);
  } else if (principals.length === 0) {
    issued = await things.issueCertificate();
    await things.attachCertificate(id, issued.certificateArn);
  }

  await ports.registry.put(device);
  const certificateArns = [...new Set([...principals, ...(certificateArn ? [certificateArn] : []), ...(issued ? [issued.certificateArn] : [])])];
  return { ok: true, deviceId: id, thingArn, groups, certificateArns, ...(issued ? { issued } : {}) };
}
