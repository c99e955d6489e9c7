import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec, type EncryptionKey } from './codec';

/** The one data converter shared by the client, the worker, the tests and the codec endpoint. */
export async function createDataConverter(keys: EncryptionKey[]): Promise<DataConverter> {
  return {
    payloadCodecs: [await EncryptionCodec.create(keys)],
    failureConverterPath: path.join(__dirname, 'failure-converter.ts'),
  };
}
