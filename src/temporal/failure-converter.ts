import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Loaded by path inside the workflow sandbox as well as by the client: moves error messages and stack
 * traces into an encoded attribute, so the payload codec encrypts them too ("Encoded failure" in the
 * raw history).
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
