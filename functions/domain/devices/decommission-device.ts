import type { DeviceAdminPorts } from './device-admin-ports.ts';
import { isManagedGroup } from './thing-groups.ts';

export interface DecommissionOutcome {
  deviceId: string;
  /** Whether there was anything to remove. */
  existed: boolean;
  certificates: { certificateArn: string; outcome: 'deleted' | 'detached' }[];
  groupsLeft: string[];
}

/**
 * Takes a device out of service. The registry record goes first, so its telemetry is refused from then on;
 * then its certificates (detached from the policy and the thing, deactivated and deleted unless another thing
 * uses them), its Hearth groups, the thing, and its presence. Plans and telemetry history stay: they are the evidence
 * for measurement & verification and expire on their own. Idempotent: a second run finds nothing and succeeds.
 */
export async function decommissionDevice(deviceId: string, ports: DeviceAdminPorts): Promise<DecommissionOutcome> {
  const { things } = ports;
  const [record, thing] = await Promise.all([ports.registry.get(deviceId), things.describeThing(deviceId)]);
  await ports.registry.delete(deviceId);
  const certificates: DecommissionOutcome['certificates'] = [];
  const groupsLeft: string[] = [];
  if (thing) {
    for (const certificateArn of await things.principalsOf(deviceId)) {
      certificates.push({ certificateArn, outcome: await things.retireCertificate(deviceId, certificateArn) });
    }
    // Hearth's own groups; deleting the thing ends any membership an operator added besides.
    for (const group of (await things.groupsOf(deviceId)).filter(isManagedGroup)) {
      await things.removeFromGroup(deviceId, group);
      groupsLeft.push(group);
    }
    await things.deleteThing(deviceId);
  }
  await ports.status.delete(deviceId);
  return { deviceId, existed: record !== undefined || thing !== undefined, certificates, groupsLeft };
}
