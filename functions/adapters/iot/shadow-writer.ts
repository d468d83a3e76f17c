import { UpdateThingShadowCommand, type IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { PLAN_SHADOW } from '../../../wiring/topics.ts';
import type { PlanDocument } from '../../../schemas/shadow.ts';
import type { ShadowWriter } from '../../ports/shadow-writer.ts';

/** Writes the plan as the desired state of the device's `plan` named shadow through the IoT data plane. */
export class IotShadowWriter implements ShadowWriter {
  constructor(private readonly client: IoTDataPlaneClient) {}

  async pushPlan(deviceId: string, plan: PlanDocument): Promise<'pushed' | 'unchanged'> {
    const payload = new TextEncoder().encode(JSON.stringify({ state: { desired: plan } }));
    await this.client.send(new UpdateThingShadowCommand({ thingName: deviceId, shadowName: PLAN_SHADOW, payload }));
    return 'pushed';
  }
}
