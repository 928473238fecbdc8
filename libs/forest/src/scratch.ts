/**
 * Per-thread scratch arrays reused from one tree to the next, so building a forest does not
 * leave a trail of large typed arrays for the garbage collector (peak memory stays at one tree's
 * worth per thread). Trees are built one at a time per thread, so a key is never used twice at once.
 */
type Typed = Uint16Array | Uint32Array | Int32Array | Float64Array;
const cache = new Map<string, Typed>();

function get<T extends Typed>(key: string, n: number, make: (n: number) => T): T {
  let a = cache.get(key) as T | undefined;
  if (!a || a.length < n) {
    a = make(n);
    cache.set(key, a);
  }
  return a.subarray(0, n) as T;
}

export const scratchU16 = (key: string, n: number) => get(key, n, (k) => new Uint16Array(k));
export const scratchU32 = (key: string, n: number) => get(key, n, (k) => new Uint32Array(k));
export const scratchI32 = (key: string, n: number) => get(key, n, (k) => new Int32Array(k));
export const scratchF64 = (key: string, n: number) => get(key, n, (k) => new Float64Array(k));

/** Drops the cached arrays (after a forest is built on the calling thread). */
export function releaseScratch(): void {
  cache.clear();
}
