/**
 * What the packed structures share: their entries in one string until they are converted, for
 * good, to the large structure their owner keeps from then on (`table`). Both forms sit in one
 * field, so that a small value is an object of a header and two fields (40 bytes), not three.
 * Each subclass reads and writes both forms itself; this is only the state and what it tells
 * about itself.
 */
export abstract class PackedForm<Table extends object> {
  private store: string | Table = '';

  /** The entries, packed; empty once converted (and then not to be written). */
  protected get packed(): string {
    const store = this.store;
    return typeof store === 'string' ? store : '';
  }

  protected set packed(packed: string) {
    this.store = packed;
  }

  /** The large structure it was converted to, for good; undefined while packed. */
  protected get table(): Table | undefined {
    const store = this.store;
    return typeof store === 'string' ? undefined : store;
  }

  protected set table(table: Table) {
    this.store = table;
  }

  /** Whether it is still packed (not yet converted). */
  get isPacked(): boolean {
    return typeof this.store === 'string';
  }

  /** The chars of the packed string (0 once converted): what a packed value weighs. */
  get packedLength(): number {
    return this.packed.length;
  }
}
