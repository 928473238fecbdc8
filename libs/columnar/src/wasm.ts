/**
 * The one parquet-wasm instance of this process or worker thread. WebAssembly memory grows
 * and never shrinks, so every reader and writer shares this module and bounds what it hands
 * over at once (one row group, one write batch); `wasmMemoryBytes()` shows the high-water mark.
 */
import * as parquetWasm from 'parquet-wasm';

export { parquetWasm };

/** Current size of parquet-wasm's linear memory, in bytes (its high-water mark, as it never shrinks). */
export function wasmMemoryBytes(): number {
  return parquetWasm.wasmMemory().buffer.byteLength;
}
