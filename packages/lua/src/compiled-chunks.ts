import type { LuaTable } from './table.js';
import type { LuaFunction } from './value.js';

/**
 * What `new Function` makes of a compiled chunk: given the helpers and a globals table, the
 * chunk's main function and the accessors of its globals. It holds nothing of one runtime, so
 * every runtime of the process can instantiate it.
 */
export type ChunkFactory = (
  helpers: unknown,
  env: LuaTable,
) => [LuaFunction, (table: LuaTable) => void, () => LuaTable];

/** About how much memory the chunks kept may take. */
const BUDGET = 16 * 1024 * 1024;

/** A rough size of a compiled chunk: a few times its source, and a fixed part for each. */
const sizeOf = (key: string) => 1024 + 4 * key.length;

/**
 * The chunks compiled lately in this process, by source and compile options, least recently
 * used first: loading the same script again (after SCRIPT FLUSH, in a fresh Lua state, in
 * another server of the same process) skips parsing, code generation and V8's compile, and
 * reuses the bytecode V8 made for its functions.
 */
export class CompiledChunks {
  private readonly chunks = new Map<string, ChunkFactory>();
  private bytes = 0;

  constructor(private readonly budget = BUDGET) {}

  get(key: string): ChunkFactory | undefined {
    const factory = this.chunks.get(key);
    if (factory !== undefined) {
      // Most recently used goes last.
      this.chunks.delete(key);
      this.chunks.set(key, factory);
    }
    return factory;
  }

  set(key: string, factory: ChunkFactory): void {
    if (sizeOf(key) > this.budget || this.chunks.has(key)) return;
    this.chunks.set(key, factory);
    this.bytes += sizeOf(key);
    for (const oldest of this.chunks.keys()) {
      if (this.bytes <= this.budget) break;
      this.chunks.delete(oldest);
      this.bytes -= sizeOf(oldest);
    }
  }

  get size(): number {
    return this.chunks.size;
  }
}
