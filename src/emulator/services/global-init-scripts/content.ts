import { z } from 'zod';

/** 64 KB of decoded script (the Terraform provider's documented and enforced limit; the server's own check and its wording are unverified). */
export const MAX_SCRIPT_BYTES = 64 * 1024;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * `script` is the Base64-encoded content (Python SDK). Node's decoder skips what is not Base64, so
 * the form is checked first: anything else is refused rather than stored as garbage. Error texts
 * are the emulator's own (unverified).
 */
export const scriptContent = () =>
  z
    .string()
    .min(1, 'must not be empty')
    .superRefine((s, ctx) => {
      if (!BASE64.test(s)) {
        ctx.addIssue({ code: 'custom', message: 'must be Base64-encoded content' });
        return;
      }
      const bytes = Buffer.from(s, 'base64').length;
      if (bytes > MAX_SCRIPT_BYTES) ctx.addIssue({ code: 'custom', message: `the script is ${bytes} bytes; a global init script may be at most ${MAX_SCRIPT_BYTES} bytes` });
    });

/** For restore: whether a stored value would pass the create-time check. */
export function isScriptContent(s: unknown): s is string {
  return scriptContent().safeParse(s).success;
}
