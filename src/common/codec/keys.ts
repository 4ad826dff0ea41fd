/**
 * Payload encryption keys, from DURABRICKS_CODEC_KEYS = "id1:base64key1,id0:base64key0".
 * The first key encrypts; every key decrypts, so a key is rotated by putting a new one first and
 * dropping the old one once no open workflow's history still needs it.
 */
export interface CodecKeys {
  /** Key id that new payloads are encrypted with. */
  currentId: string;
  keys: ReadonlyMap<string, Buffer>;
}

export class CodecKeyError extends Error {
  override name = 'CodecKeyError';
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function parseCodecKeys(spec: string, variable = 'DURABRICKS_CODEC_KEYS'): CodecKeys {
  const keys = new Map<string, Buffer>();
  const entries = spec.split(',').map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) throw new CodecKeyError(`${variable} is empty; expected "keyId:base64-encoded 32-byte key[,olderId:olderKey]"`);
  for (const [index, entry] of entries.entries()) {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    // Never echo the key material itself in an error: only its position and id.
    if (!KEY_ID.test(id)) throw new CodecKeyError(`${variable} entry ${index + 1} needs a key id of letters, digits, ".", "_" or "-" before ":"`);
    const key = Buffer.from(entry.slice(colon + 1), 'base64');
    if (key.length !== 32) throw new CodecKeyError(`${variable} key "${id}" must be 32 bytes of base64 (AES-256), got ${key.length} bytes`);
    if (keys.has(id)) throw new CodecKeyError(`${variable} lists key id "${id}" twice`);
    keys.set(id, key);
  }
  return { currentId: entries[0]!.slice(0, entries[0]!.indexOf(':')), keys };
}
