/** Which device ids are in the registry: ingest refuses telemetry and presence of devices that are not. */
export interface KnownDevices {
  known(deviceIds: readonly string[]): Promise<Set<string>>;
}
