import * as z from 'zod';
import { DeviceRecord } from './device.ts';

/** What AWS IoT calls a certificate ARN: `arn:<partition>:iot:<region>:<account>:cert/<64 hex digits>`. */
export const CertificateArn = z.string().regex(/^arn:aws[a-z-]*:iot:[a-z0-9-]+:\d{12}:cert\/[0-9a-f]{64}$/, 'an IoT certificate ARN (…:cert/<64 hex digits>)');

/**
 * Registers (or re-registers) a device: its registry record, and optionally the certificate it already holds.
 * Without one, Hearth creates keys and a certificate and returns them once.
 */
export const DeviceRegistration = z.object({ device: DeviceRecord, certificateArn: CertificateArn.optional() }).strict();
export type DeviceRegistration = z.infer<typeof DeviceRegistration>;
