import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { EncryptionCodec, PayloadDecryptionError } from '../../../src/common/codec/encryption-codec.js';
import { CodecKeyError, parseCodecKeys } from '../../../src/common/codec/keys.js';

const key = () => randomBytes(32).toString('base64');
const CANARY = 'canary-secret-7f3a9c';

describe('EncryptionCodec (AES-256-GCM)', () => {
  it('round-trips payloads and leaves no plaintext in the encoded bytes', async () => {
    const codec = new EncryptionCodec(parseCodecKeys(`k1:${key()}`));
    const payload = defaultPayloadConverter.toPayload({ password: CANARY, n: 42 });
    const [encoded] = await codec.encode([payload]);
    expect(Buffer.from(encoded!.data!).toString('latin1')).not.toContain(CANARY);
    expect(new TextDecoder().decode(encoded!.metadata!['encryption-key-id'])).toBe('k1');
    const [decoded] = await codec.decode([encoded!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual({ password: CANARY, n: 42 });
  });

  it('rotates keys: the first key encrypts, older keys still decrypt', async () => {
    const oldKey = key();
    const before = new EncryptionCodec(parseCodecKeys(`old:${oldKey}`));
    const [oldPayload] = await before.encode([defaultPayloadConverter.toPayload('from before rotation')]);
    const after = new EncryptionCodec(parseCodecKeys(`new:${key()},old:${oldKey}`));
    const [newPayload] = await after.encode([defaultPayloadConverter.toPayload('after')]);
    expect(new TextDecoder().decode(newPayload!.metadata!['encryption-key-id'])).toBe('new');
    const decoded = await after.decode([oldPayload!, newPayload!]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual(['from before rotation', 'after']);
  });

  it('refuses tampered data and unknown key ids with a clear error', async () => {
    const codec = new EncryptionCodec(parseCodecKeys(`k1:${key()}`));
    const [encoded] = await codec.encode([defaultPayloadConverter.toPayload('x')]);
    const tampered = { ...encoded!, data: Buffer.from(encoded!.data!).map((b, i) => (i === 20 ? b ^ 1 : b)) };
    await expect(codec.decode([tampered])).rejects.toThrow(PayloadDecryptionError);
    const other = new EncryptionCodec(parseCodecKeys(`k2:${key()}`));
    await expect(other.decode([encoded!])).rejects.toThrow('encrypted with key "k1", which is not in DURABRICKS_CODEC_KEYS');
  });

  it('passes through payloads that were never encrypted', async () => {
    const codec = new EncryptionCodec(parseCodecKeys(`k1:${key()}`));
    const plain = defaultPayloadConverter.toPayload('plain');
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('rejects bad key specs without echoing key material', () => {
    const secretish = Buffer.from('short-key-material').toString('base64');
    expect(() => parseCodecKeys(`k1:${secretish}`)).toThrow(/must be 32 bytes/);
    try {
      parseCodecKeys(`k1:${secretish}`);
    } catch (err) {
      expect((err as Error).message).not.toContain(secretish);
    }
    expect(() => parseCodecKeys(`:${key()}`)).toThrow(CodecKeyError);
    expect(() => parseCodecKeys(`a:${key()},a:${key()}`)).toThrow(/twice/);
    expect(() => parseCodecKeys('')).toThrow(/empty/);
  });
});
