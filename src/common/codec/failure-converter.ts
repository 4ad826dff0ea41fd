import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Loaded by path inside the workflow sandbox (DataConverter.failureConverterPath): moves failure
 * messages and stack traces into an encoded attribute so the payload codec encrypts them too.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
