import { InvalidInputError } from '@lakestream/core';
import type { Params, ParamValue, SearchSpace } from './space';

/** Every combination of a space whose domains are all lists, in a stable order. */
export function gridCandidates(space: SearchSpace): Params[] {
  const names = Object.keys(space);
  const lists = names.map((n) => {
    const d = space[n];
    if (!Array.isArray(d))
      throw new InvalidInputError(
        `grid search needs a list for ${n}; use random or halving search for ranges`,
        n,
      );
    return d as ParamValue[];
  });
  let out: Params[] = [{}];
  names.forEach((name, i) => {
    out = out.flatMap((p) => lists[i]!.map((v) => ({ ...p, [name]: v })));
  });
  return out;
}
