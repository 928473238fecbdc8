import { LakeError } from '@lakestream/core';

/**
 * A stack server that cannot start or is not usable. The message names the cause and the
 * fix; `logTail` holds the end of the server's log when there is one.
 */
export class StackError extends LakeError {
  constructor(
    message: string,
    readonly server?: string,
    readonly logTail?: string,
  ) {
    super(message);
  }
}
