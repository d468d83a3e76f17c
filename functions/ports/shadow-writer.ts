import type { PlanDocument } from '../../schemas/shadow.ts';

export interface ShadowWriter {
  /** Puts a plan into the device's `plan` named shadow as desired state. */
  pushPlan(deviceId: string, plan: PlanDocument): Promise<'pushed' | 'unchanged'>;
}
