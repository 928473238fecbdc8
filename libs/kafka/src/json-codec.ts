import type { MessageCodec } from './types';
import { InvalidInputError } from '@lakestream/core';

/** JSON values, UTF-8; Buffers travel as base64 strings tagged `{ $bytes }`. For tests and tools. */
export class JsonCodec implements MessageCodec {
  async encode(_topic: string, value: unknown): Promise<Buffer> {
    return Buffer.from(
      JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
        const raw = this[key];
        return Buffer.isBuffer(raw) ? { $bytes: raw.toString('base64') } : v;
      }),
    );
  }

  async decode(payload: Buffer, topic = ''): Promise<unknown> {
    try {
      return JSON.parse(payload.toString('utf8'), (_key, v) =>
        v && typeof v === 'object' && typeof v.$bytes === 'string' && Object.keys(v).length === 1
          ? Buffer.from(v.$bytes, 'base64')
          : v,
      );
    } catch (error) {
      throw new InvalidInputError(`invalid JSON on ${topic || 'a topic'}: ${(error as Error).message}`);
    }
  }
}
