import { malformedRequest } from './errors.js';

/**
 * multipart/form-data bodies (DBFS put and workspace import accept them, reference §2.5/§2.7),
 * turned into the same object a JSON body would give: text fields as strings, file fields as
 * base64 strings — so the handlers and schemas stay the same.
 */
export async function parseMultipart(raw: Buffer, contentType: string): Promise<Record<string, unknown>> {
  let form: FormData;
  try {
    form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw malformedRequest('Invalid multipart/form-data body.');
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    out[key] = typeof value === 'string' ? value : Buffer.from(await value.arrayBuffer()).toString('base64');
  }
  return out;
}

export function isMultipart(contentType: string | string[] | undefined): contentType is string {
  return typeof contentType === 'string' && /^multipart\/form-data/i.test(contentType);
}
