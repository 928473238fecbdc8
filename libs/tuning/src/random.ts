import { createRng } from './rng';
import { type Params, type ParamDomain, paramsKey, type SearchSpace } from './space';

function sample(domain: ParamDomain, rnd: () => number): Params[string] {
  if (Array.isArray(domain)) return domain[Math.floor(rnd() * domain.length)]!;
  const { low, high, log } = domain;
  const u = rnd();
  if (log) {
    const x = Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low)));
    return domain.type === 'int' ? Math.min(high, Math.max(low, Math.round(x))) : x;
  }
  // Integers: each of low..high equally likely.
  return domain.type === 'int'
    ? Math.min(high, low + Math.floor(u * (high - low + 1)))
    : low + u * (high - low);
}

/**
 * `n` distinct samples of a space, deterministic for a seed. When the space has fewer than
 * `n` distinct points (all lists), returns all of them.
 */
export function randomCandidates(space: SearchSpace, n: number, seed: number): Params[] {
  const rnd = createRng(seed);
  const names = Object.keys(space);
  const seen = new Set<string>();
  const out: Params[] = [];
  for (let tries = 0; out.length < n && tries < n * 50; tries++) {
    const p: Params = {};
    for (const name of names) p[name] = sample(space[name]!, rnd);
    const key = paramsKey(p);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}
