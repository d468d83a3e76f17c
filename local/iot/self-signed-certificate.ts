import { createHash, generateKeyPair, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

/**
 * A real, self-signed X.509 certificate with a fresh RSA-2048 key, as CreateKeysAndCertificate returns one: the
 * local IoT control plane hands out certificates that any X.509 parser accepts, and ids computed as AWS
 * computes them (the SHA-256 of the DER). Only what a v3 certificate needs, in hand-written DER.
 */
export interface GeneratedCertificate {
  certificatePem: string;
  certificateId: string;
  publicKeyPem: string;
  privateKeyPem: string;
}

const der = (tag: number, content: Buffer): Buffer => {
  const n = content.length;
  const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
};
const sequence = (...items: Buffer[]) => der(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => der(0x31, Buffer.concat(items));
const integer = (bytes: Buffer) => der(0x02, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
const utf8 = (text: string) => der(0x0c, Buffer.from(text, 'utf8'));
const utcTime = (d: Date) => der(0x17, Buffer.from(`${d.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`, 'ascii'));
const bitString = (bytes: Buffer) => der(0x03, Buffer.concat([Buffer.from([0]), bytes]));
const NULL = Buffer.from([0x05, 0x00]);

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const bytes = [40 * a + b];
  for (const part of rest) {
    const base128 = [part & 0x7f];
    for (let v = part >> 7; v > 0; v >>= 7) base128.unshift((v & 0x7f) | 0x80);
    bytes.push(...base128);
  }
  return der(0x06, Buffer.from(bytes));
}

const SHA256_WITH_RSA = sequence(oid('1.2.840.113549.1.1.11'), NULL);
const commonName = (cn: string) => sequence(set(sequence(oid('2.5.4.3'), utf8(cn))));
const pem = (label: string, body: Buffer) => `-----BEGIN ${label}-----\n${body.toString('base64').replace(/(.{64})/g, '$1\n').trimEnd()}\n-----END ${label}-----\n`;

export async function generateSelfSignedCertificate(commonNameText: string, notBefore: Date): Promise<GeneratedCertificate> {
  const { publicKey, privateKey } = (await promisify(generateKeyPair)('rsa', { modulusLength: 2048 })) as { publicKey: KeyObject; privateKey: KeyObject };
  const serial = createHash('sha256').update(`${commonNameText}${notBefore.getTime()}${Math.random()}`).digest().subarray(0, 16);
  const tbs = sequence(
    der(0xa0, integer(Buffer.from([2]))),
    integer(serial),
    SHA256_WITH_RSA,
    commonName(commonNameText),
    // AWS IoT's certificates run until the end of 2049, the last year UTCTime can express.
    sequence(utcTime(notBefore), utcTime(new Date('2049-12-31T23:59:59Z'))),
    commonName(commonNameText),
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const certificate = sequence(tbs, SHA256_WITH_RSA, bitString(sign('sha256', tbs, privateKey)));
  return {
    certificatePem: pem('CERTIFICATE', certificate),
    certificateId: createHash('sha256').update(certificate).digest('hex'),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  };
}
