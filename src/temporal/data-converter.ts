import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec, type EncryptionKey } from './codec';

/** Loaded by path (client and workflow bundle): the source file from source, its compiled copy from `dist/`. */
export const FAILURE_CONVERTER_PATH = path.join(__dirname, `failure-converter${path.extname(__filename)}`);

/** The one data converter shared by the client, the worker, the tests and the codec endpoint. */
export async function createDataConverter(keys: EncryptionKey[]): Promise<DataConverter> {
  return {
    payloadCodecs: [await EncryptionCodec.create(keys)],
    failureConverterPath: FAILURE_CONVERTER_PATH,
  };
}
