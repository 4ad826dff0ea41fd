import { createRequire } from 'node:module';
import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec } from './encryption-codec.js';
import { parseCodecKeys } from './keys.js';

const require = createRequire(import.meta.url);
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter.ts');

/**
 * The data converter every durabricks client and worker uses: encrypted payloads and failure
 * messages when DURABRICKS_CODEC_KEYS is set, Temporal's defaults otherwise. Client and worker must
 * agree, so both get it from here.
 */
export function dataConverterFromEnv(env: NodeJS.ProcessEnv = process.env): DataConverter | undefined {
  const spec = env.DURABRICKS_CODEC_KEYS;
  if (!spec) return undefined;
  return { payloadCodecs: [new EncryptionCodec(parseCodecKeys(spec))], failureConverterPath: FAILURE_CONVERTER_PATH };
}
