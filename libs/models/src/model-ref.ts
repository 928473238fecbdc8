import { assertName, InvalidInputError } from '@lakestream/core';

/** `name`, `name@3`, `name@v3` or `name@<alias>`. */
export interface ModelRef {
  name: string;
  version?: number;
  alias?: string;
}

export function parseModelRef(ref: string): ModelRef {
  const at = ref.indexOf('@');
  if (at < 0) return { name: assertName('model', ref) };
  const name = assertName('model', ref.slice(0, at));
  const tail = ref.slice(at + 1);
  const m = /^v?(\d+)$/.exec(tail);
  if (m) {
    const version = Number(m[1]);
    if (!Number.isSafeInteger(version) || version < 1)
      throw new InvalidInputError(`model version ${tail}: expected an integer ≥ 1`, 'version');
    return { name, version };
  }
  return { name, alias: assertName('alias', tail) };
}

export function formatModelRef(name: string, version: number): string {
  return `${name}@v${version}`;
}
