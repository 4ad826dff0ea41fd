/** What the official JS SDK conformance tests share. */
import { ApiError } from '@databricks/sdk-experimental';
import { expect } from 'vitest';

/** The SDK's ApiError of a call that must fail (anything else fails the test). */
export async function sdkErrorOf(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error('expected the call to fail');
}

/** Every item of one of the SDK's async iterators. */
export async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
