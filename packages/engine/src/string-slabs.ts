import { decodeLatin1, latin1Write, type ReplyWriter } from '@rc/resp';
import { SMALL_STRING_LENGTH } from './small-strings.js';

/** Strings longer than SMALL_STRING_LENGTH and up to this long are kept as bytes here. */
export const SLAB_STRING_LENGTH = 4096;
/** Bytes per slab (a slab of a big slot size holds at least one slot). */
const SLAB_BYTES = 64 * 1024;
/** Freed bytes below this are never repacked for. */
const REPACK_MINIMUM = 1024 * 1024;
/** A char a latin1 string cannot hold: such a value stays a V8 string. */
const WIDE_CHAR = /[^\x00-\xff]/;
const EMPTY = Buffer.alloc(0);

/**
 * Slot sizes, as jemalloc's size classes but finer: 16-byte steps up to 256, then 16 steps per
 * doubling, so that at most 1/16 of a slot goes unused (jemalloc's 4 steps leave up to 1/4).
 */
const SLOT_SIZES: number[] = [];
/** The index in SLOT_SIZES of the smallest slot that holds a value of this many bytes. */
const SIZE_CLASS_OF = new Uint8Array(SLAB_STRING_LENGTH + 1);
for (let size = SMALL_STRING_LENGTH + 1, step = 16; ;) {
  const slot = Math.ceil(size / step) * step;
  SLOT_SIZES.push(slot);
  if (slot >= SLAB_STRING_LENGTH) break;
  size = slot + 1;
  if (slot >= 256 && (slot & (slot - 1)) === 0) step = slot / 16;
}
for (let bytes = 0, sizeClass = 0; bytes < SIZE_CLASS_OF.length; bytes++) {
  if (bytes > SLOT_SIZES[sizeClass]) sizeClass++;
  SIZE_CLASS_OF[bytes] = sizeClass;
}
const SIZE_CLASSES = SLOT_SIZES.length;

/** The slots of one size: slabs of them, the freed ones reused first. */
class SizeClass {
  readonly slotsPerSlab: number;
  readonly slabs: Buffer[] = [];
  /** Each slab's values' lengths, beside it: in the slot, they would push 1 KB into 1088. */
  readonly lengths: Uint16Array[] = [];
  /** Slots freed since, taken again before a new one. */
  readonly freed: number[] = [];
  /** Slots handed out so far, freed or not: the next new one. */
  used = 0;

  constructor(readonly slotSize: number) {
    this.slotsPerSlab = Math.max(1, Math.floor(SLAB_BYTES / slotSize));
  }

  take(): number {
    if (this.freed.length > 0) return this.freed.pop() as number;
    const slot = this.used++;
    if (slot % this.slotsPerSlab === 0) {
      this.slabs.push(Buffer.allocUnsafeSlow(this.slotsPerSlab * this.slotSize));
      this.lengths.push(new Uint16Array(this.slotsPerSlab));
    }
    return slot;
  }
}

/**
 * A key table's medium string values (longer than SMALL_STRING_LENGTH, at most
 * SLAB_STRING_LENGTH) as bytes in slabs, one set of slabs per slot size, as an allocator's size
 * classes: the latin1 chars, their count beside the slab. As V8 strings, values that come and go
 * (eviction under maxmemory replacing them all the time) left their holes in pages that V8's
 * young collections did not refill, and the old generation grew to 1.35 times the live data;
 * here a removed value's slot is the next one of its size taken, at once, and the slabs are
 * a few hundred objects to the garbage collector. A value is read back as a new string.
 *
 * A value is named by a handle: its slot times the number of size classes, plus its class. The
 * slots of removed values stay until the owner repacks the live ones into new slabs
 * (`repackNeeded`, `moveFrom`), which gives them new handles.
 */
export class StringSlabs {
  private readonly classes: Array<SizeClass | undefined> = new Array(SIZE_CLASSES);
  /** Bytes of slots handed out, and of those freed since. */
  private usedBytes = 0;
  private freedBytes = 0;
  /** What `locate` found (fields rather than an object made per read). */
  private foundSlab: Buffer = EMPTY;
  private foundAt = 0;
  private foundLength = 0;

  /** Stores the value (its length in range); its handle, or -1 when a char is not latin1. */
  add(value: string): number {
    if (WIDE_CHAR.test(value)) return -1;
    const sizeClass = SIZE_CLASS_OF[value.length];
    const slots = (this.classes[sizeClass] ??= new SizeClass(SLOT_SIZES[sizeClass]));
    const reused = slots.freed.length > 0;
    const slot = slots.take();
    if (reused) this.freedBytes -= slots.slotSize;
    else this.usedBytes += slots.slotSize;
    const slab = Math.floor(slot / slots.slotsPerSlab);
    const index = slot % slots.slotsPerSlab;
    slots.lengths[slab][index] = value.length;
    latin1Write(slots.slabs[slab], value, index * slots.slotSize);
    return slot * SIZE_CLASSES + sizeClass;
  }

  /** The value named by `handle`, as a new string. */
  read(handle: number): string {
    this.locate(handle);
    return decodeLatin1(this.foundSlab, this.foundAt, this.foundAt + this.foundLength);
  }

  /** The value named by `handle` as a bulk reply, copied from its slot (no string made). */
  writeBulk(handle: number, out: ReplyWriter): void {
    this.locate(handle);
    out.bulkOfBytes(this.foundSlab, this.foundAt, this.foundAt + this.foundLength);
  }

  /** The length of the value named by `handle`, without reading it. */
  lengthAt(handle: number): number {
    this.locate(handle);
    return this.foundLength;
  }

  /** Where the value named by `handle` is: `foundSlab`, `foundAt` and `foundLength`. */
  private locate(handle: number): void {
    const sizeClass = handle % SIZE_CLASSES;
    const slots = this.classes[sizeClass] as SizeClass;
    const slot = (handle - sizeClass) / SIZE_CLASSES;
    const slab = Math.floor(slot / slots.slotsPerSlab);
    const index = slot % slots.slotsPerSlab;
    this.foundSlab = slots.slabs[slab];
    this.foundAt = index * slots.slotSize;
    this.foundLength = slots.lengths[slab][index];
  }

  remove(handle: number): void {
    const sizeClass = handle % SIZE_CLASSES;
    const slots = this.classes[sizeClass] as SizeClass;
    slots.freed.push((handle - sizeClass) / SIZE_CLASSES);
    this.freedBytes += slots.slotSize;
  }

  /** Whether freed slots hold more than the live ones (and enough to be worth a walk). */
  get repackNeeded(): boolean {
    return this.freedBytes >= REPACK_MINIMUM && this.freedBytes * 2 > this.usedBytes;
  }

  /** Copies the value named by `handle` in `from` here; its handle here. */
  moveFrom(from: StringSlabs, handle: number): number {
    return this.add(from.read(handle));
  }
}
