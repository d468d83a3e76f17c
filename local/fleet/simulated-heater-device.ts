import { SimulatedDevice } from '../simulator/simulated-device.ts';
import type { SimulatedHeater } from './generate-fleet.ts';

/** The reference-firmware device for a generated heater: its levels, true room, comfort and fallback band. */
export const simulatedDeviceFor = (heater: SimulatedHeater, brokerUrl: string): SimulatedDevice =>
  new SimulatedDevice({
    deviceId: heater.record.deviceId,
    brokerUrl,
    levels: heater.record.levels,
    room: heater.record.room,
    initialRoomC: heater.initialRoomC,
    config: heater.config,
    fallback: heater.record.fallback,
  });
