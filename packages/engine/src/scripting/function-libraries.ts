import { splitArguments } from '@rc/resp';
import { decodeFunctionsPayload, encodeFunctionsPayload } from '@rc/rdb';
import {
  INVALID_NAME,
  isValidName,
  type FunctionDefinition,
  type LibraryLoader,
} from './library-loader.js';

/** A registered function, callable with FCALL. */
export interface LibraryFunction extends FunctionDefinition {
  readonly library: Library;
}

export interface Library {
  readonly name: string;
  /** The whole code FUNCTION LOAD got, shebang line included. */
  readonly code: string;
  /** By name, in registration order; names are case-sensitive within a library. */
  readonly functions: ReadonlyMap<string, LibraryFunction>;
}

/** What Redis 7.0 reports as used_memory_functions with no library loaded. */
const EMPTY_FUNCTIONS_BYTES = 200;

/** Lua is Redis 7.0's only engine. */
export const ENGINE_NAME = 'LUA';

/** Redis's LOAD_TIMEOUT_MS: how long FUNCTION LOAD lets library code run. */
export const LOAD_TIMEOUT_MILLISECONDS = 500;

export type RestorePolicy = 'flush' | 'append' | 'replace';

/** The result of creating a library: its name, or the error to reply (no "ERR " prefix). */
export type CreateResult = { readonly name: string } | { readonly error: string };

/**
 * A set of libraries and the functions they register (Redis's functionsLibCtx). Library names
 * are case-sensitive, function names are unique across libraries regardless of case.
 */
class LibrarySet {
  readonly libraries = new Map<string, Library>();
  /** By lower-cased name. */
  readonly functions = new Map<string, LibraryFunction>();

  link(library: Library): void {
    this.libraries.set(library.name, library);
    for (const fn of library.functions.values()) {
      const key = fn.name.toLowerCase();
      // Two names of one library that differ only in case: the first one keeps the name.
      if (!this.functions.has(key)) this.functions.set(key, fn);
    }
  }

  unlink(library: Library): void {
    this.libraries.delete(library.name);
    for (const fn of library.functions.values()) {
      const key = fn.name.toLowerCase();
      if (this.functions.get(key) === fn) this.functions.delete(key);
    }
  }

  /** The first of `library`'s functions whose name is taken in this set, if any. */
  collision(library: Library): LibraryFunction | undefined {
    for (const fn of library.functions.values()) {
      if (this.functions.has(fn.name.toLowerCase())) return fn;
    }
    return undefined;
  }
}

/**
 * The function libraries (FUNCTION LOAD and friends): creating a library from its code, deleting,
 * flushing, dumping and restoring them. Compiling and running library code is the loader's job.
 */
export class FunctionLibraries {
  private current = new LibrarySet();

  constructor(private readonly loader: () => LibraryLoader) {}

  get libraryCount(): number {
    return this.current.libraries.size;
  }

  get functionCount(): number {
    return this.current.functions.size;
  }

  /** INFO's used_memory_functions: Redis's empty-table overhead plus each library's code. */
  get memoryBytes(): number {
    let total = EMPTY_FUNCTIONS_BYTES;
    for (const library of this.current.libraries.values()) total += library.code.length;
    return total;
  }

  libraries(): IterableIterator<Library> {
    return this.current.libraries.values();
  }

  functionNamed(name: string): LibraryFunction | undefined {
    return this.current.functions.get(name.toLowerCase());
  }

  /** FUNCTION LOAD: a library from its code; with `replace`, in place of one of the same name. */
  load(code: string, replace: boolean, timeoutMilliseconds: number): CreateResult {
    return this.create(this.current, code, replace, timeoutMilliseconds);
  }

  /** FUNCTION DELETE; false when there is no such library. */
  delete(name: string): boolean {
    const library = this.current.libraries.get(name);
    if (library === undefined) return false;
    this.current.unlink(library);
    return true;
  }

  /** Exchanges libraries with another set (a replica's diskless load with swapdb). */
  swapWith(other: FunctionLibraries): void {
    [this.current, other.current] = [other.current, this.current];
  }

  /** FUNCTION FLUSH. */
  flush(): void {
    this.current = new LibrarySet();
  }

  /** FUNCTION DUMP's payload: every library's code. */
  dump(): Buffer {
    const codes: string[] = [];
    for (const library of this.current.libraries.values()) codes.push(library.code);
    return encodeFunctionsPayload(codes);
  }

  /**
   * FUNCTION RESTORE: every library of the payload or none; returns the error to reply (no
   * "ERR " prefix) or null. As Redis's libraryJoin: with `replace`, a library of the same name
   * gives way, but a function name taken by another library still fails the whole restore.
   */
  restore(payload: Buffer, policy: RestorePolicy): string | null {
    const decoded = decodeFunctionsPayload(payload);
    if ('error' in decoded) return decoded.error;
    const incoming = new LibrarySet();
    for (const code of decoded.codes) {
      const created = this.create(incoming, code, false, 0);
      if ('error' in created) return created.error;
    }
    if (policy === 'flush') {
      this.current = incoming;
      return null;
    }
    return this.join(incoming, policy === 'replace');
  }

  private join(incoming: LibrarySet, replace: boolean): string | null {
    const current = this.current;
    const replaced: Library[] = [];
    for (const library of incoming.libraries.values()) {
      const old = current.libraries.get(library.name);
      if (old === undefined) continue;
      if (!replace) {
        for (const each of replaced) current.link(each);
        return `Library ${library.name} already exists`;
      }
      current.unlink(old);
      replaced.push(old);
    }
    for (const library of incoming.libraries.values()) {
      const collision = current.collision(library);
      if (collision !== undefined) {
        for (const each of replaced) current.link(each);
        return `Function ${collision.name} already exists`;
      }
    }
    for (const library of incoming.libraries.values()) current.link(library);
    return null;
  }

  /** Redis's functionsCreateWithLibraryCtx. */
  private create(
    set: LibrarySet,
    code: string,
    replace: boolean,
    timeoutMilliseconds: number,
  ): CreateResult {
    const metadata = parseMetadata(code);
    if ('error' in metadata) return metadata;
    const { name, engine, body } = metadata;
    if (!isValidName(name)) return { error: INVALID_NAME };
    if (engine.toUpperCase() !== ENGINE_NAME) return { error: `Engine '${engine}' not found` };
    const old = set.libraries.get(name);
    if (old !== undefined && !replace) return { error: `Library '${name}' already exists` };
    if (old !== undefined) set.unlink(old);
    const loaded = this.loader().load(body, timeoutMilliseconds);
    let error: string | null = null;
    let library: Library | null = null;
    if ('error' in loaded) {
      error = loaded.error;
    } else {
      const functions = new Map<string, LibraryFunction>();
      library = { name, code, functions };
      for (const definition of loaded.functions) {
        functions.set(definition.name, { ...definition, library });
      }
      if (functions.size === 0) error = 'No functions registered';
      else {
        const collision = set.collision(library);
        if (collision !== undefined) error = `Function ${collision.name} already exists`;
      }
    }
    if (error !== null) {
      if (old !== undefined) set.link(old);
      return { error };
    }
    set.link(library as Library);
    return { name };
  }
}

type Metadata = { name: string; engine: string; body: string } | { error: string };

/**
 * The shebang line of library code (`#!lua name=mylib`), as Redis's functionExtractLibMetaData.
 * The body keeps the shebang's newline, so line numbers in errors count from the shebang.
 */
function parseMetadata(code: string): Metadata {
  if (!code.startsWith('#!')) return { error: 'Missing library metadata' };
  // Redis looks for the newline with strchr, which stops at a NUL.
  const end = code.indexOf('\n');
  const nul = code.indexOf('\0');
  if (end === -1 || (nul !== -1 && nul < end)) return { error: 'Invalid library metadata' };
  const parts = splitArguments(code.slice(0, end));
  if (parts === null || parts.length === 0) return { error: 'Invalid library metadata' };
  let name: string | null = null;
  for (const part of parts.slice(1)) {
    if (part.slice(0, 5).toLowerCase() !== 'name=') {
      return { error: `Invalid metadata value given: ${part}` };
    }
    if (name !== null) {
      return { error: 'Invalid metadata value, name argument was given multiple times' };
    }
    name = part.slice(5);
  }
  if (name === null) return { error: 'Library name was not given' };
  return { name, engine: parts[0].slice(2), body: code.slice(end) };
}
