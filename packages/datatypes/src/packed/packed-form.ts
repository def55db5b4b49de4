/**
 * What the packed structures share: their entries in one string until they are converted, for
 * good, to the large structure their owner keeps from then on (`table`), when the packed string
 * is left empty. Each subclass reads and writes both forms itself; this is only the state and
 * what it tells about itself.
 */
export abstract class PackedForm<Table> {
  /** The entries, packed; empty once converted. */
  protected packed = '';
  /** The large structure it was converted to, for good. */
  protected table: Table | undefined = undefined;

  /** Whether it is still packed (not yet converted). */
  get isPacked(): boolean {
    return this.table === undefined;
  }

  /** The chars of the packed string (0 once converted): what a packed value weighs. */
  get packedLength(): number {
    return this.packed.length;
  }
}
