/**
 * A compressed radix tree (Redis's rax, in spirit) over byte-string keys held as latin1
 * strings. Edges carry whole runs of bytes; children are kept in byte order, so iteration and
 * seeking are ordered. Generic in the stored value.
 */
class RadixNode<V> {
  children: Array<RadixNode<V>> = [];
  value: V | undefined = undefined;
  hasValue = false;

  constructor(public edge: string) {}
}

function commonPrefixLength(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let i = 0;
  while (i < limit && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Index of the child whose edge starts with `code`, or where it would be inserted (negative - 1). */
function childIndex<V>(node: RadixNode<V>, code: number): number {
  const children = node.children;
  let low = 0;
  let high = children.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const c = children[middle].edge.charCodeAt(0);
    if (c === code) return middle;
    if (c < code) low = middle + 1;
    else high = middle - 1;
  }
  return -low - 1;
}

/** Seek operators, as rax's raxSeek: `>=`, `>`, `<=`, `<`. */
export type SeekOperator = '>=' | '>' | '<=' | '<';

function smallest<V>(node: RadixNode<V>, prefix: string): [string, V] {
  let path = prefix;
  while (!node.hasValue) {
    node = node.children[0];
    path += node.edge;
  }
  return [path, node.value as V];
}

function largest<V>(node: RadixNode<V>, prefix: string): [string, V] {
  let path = prefix;
  while (node.children.length > 0) {
    node = node.children[node.children.length - 1];
    path += node.edge;
  }
  return [path, node.value as V];
}

/** Smallest key ≥ key (> with `exclusive`) in the subtree at `node`, whose path is `prefix`. */
function ceiling<V>(
  node: RadixNode<V>,
  prefix: string,
  key: string,
  exclusive: boolean,
): [string, V] | undefined {
  // A node's own key is the smallest in its subtree: every child extends it.
  if (node.hasValue && (prefix > key || (prefix === key && !exclusive))) {
    return [prefix, node.value as V];
  }
  const children = node.children;
  if (children.length === 0) return undefined;
  let from: number;
  if (prefix.length >= key.length) {
    // key is a prefix of this path (or equal): every key below is greater.
    from = 0;
  } else {
    const index = childIndex(node, key.charCodeAt(prefix.length));
    if (index < 0) {
      from = -index - 1;
    } else {
      const child = children[index];
      const path = prefix + child.edge;
      if (path < key && !key.startsWith(path)) {
        from = index + 1;
      } else if (key.startsWith(path)) {
        const found = ceiling(child, path, key, exclusive);
        if (found !== undefined) return found;
        from = index + 1;
      } else {
        // path > key: the whole subtree is after key.
        return smallest(child, path);
      }
    }
  }
  return from < children.length
    ? smallest(children[from], prefix + children[from].edge)
    : undefined;
}

/** Largest key ≤ key (< with `exclusive`) in the subtree at `node`, whose path is `prefix`. */
function floor<V>(
  node: RadixNode<V>,
  prefix: string,
  key: string,
  exclusive: boolean,
): [string, V] | undefined {
  const children = node.children;
  // Children whose edge starts with a byte below key's next one hold only smaller keys.
  let below = -1;
  if (prefix.length < key.length && children.length > 0) {
    const index = childIndex(node, key.charCodeAt(prefix.length));
    if (index < 0) {
      below = -index - 2;
    } else {
      const child = children[index];
      const path = prefix + child.edge;
      if (key.startsWith(path)) {
        const found = floor(child, path, key, exclusive);
        if (found !== undefined) return found;
        below = index - 1;
      } else if (path < key) {
        return largest(child, path);
      } else {
        below = index - 1;
      }
    }
  }
  if (below >= 0) return largest(children[below], prefix + children[below].edge);
  if (node.hasValue && (prefix < key || (prefix === key && !exclusive))) {
    return [prefix, node.value as V];
  }
  return undefined;
}

export class RadixTree<V> {
  private readonly root = new RadixNode<V>('');
  private count = 0;

  get size(): number {
    return this.count;
  }

  /**
   * The nodes Redis's rax would have for these keys (XINFO STREAM's radix-tree-nodes). A rax
   * node is either a branch (one byte per child) or a compressed run with one child, and a key
   * ends at a node of its own: a node here with one child is one rax node (its run), with
   * several it is a branch plus a run for each child edge longer than the byte the branch
   * holds, and a leaf is one node.
   */
  get nodeCount(): number {
    let nodes = 0;
    const pending: Array<RadixNode<V>> = [this.root];
    while (pending.length > 0) {
      const node = pending.pop() as RadixNode<V>;
      nodes++;
      const children = node.children;
      if (children.length > 1) {
        for (const child of children) if (child.edge.length > 1) nodes++;
      }
      pending.push(...children);
    }
    return nodes;
  }

  insert(key: string, value: V): void {
    let node = this.root;
    let rest = key;
    for (;;) {
      if (rest.length === 0) {
        if (!node.hasValue) this.count++;
        node.value = value;
        node.hasValue = true;
        return;
      }
      const index = childIndex(node, rest.charCodeAt(0));
      if (index < 0) {
        const leaf = new RadixNode<V>(rest);
        leaf.value = value;
        leaf.hasValue = true;
        node.children.splice(-index - 1, 0, leaf);
        this.count++;
        return;
      }
      const child = node.children[index];
      const common = commonPrefixLength(child.edge, rest);
      if (common < child.edge.length) {
        // Split the edge: a new inner node takes the shared part.
        const inner = new RadixNode<V>(child.edge.slice(0, common));
        child.edge = child.edge.slice(common);
        inner.children.push(child);
        node.children[index] = inner;
        node = inner;
      } else {
        node = child;
      }
      rest = rest.slice(common);
    }
  }

  find(key: string): V | undefined {
    const node = this.locate(key);
    return node?.hasValue ? node.value : undefined;
  }

  has(key: string): boolean {
    return this.locate(key)?.hasValue ?? false;
  }

  private locate(key: string): RadixNode<V> | null {
    let node = this.root;
    let rest = key;
    while (rest.length > 0) {
      const index = childIndex(node, rest.charCodeAt(0));
      if (index < 0) return null;
      const child = node.children[index];
      if (!rest.startsWith(child.edge)) return null;
      rest = rest.slice(child.edge.length);
      node = child;
    }
    return node;
  }

  remove(key: string): boolean {
    const path: Array<RadixNode<V>> = [this.root];
    let node = this.root;
    let rest = key;
    while (rest.length > 0) {
      const index = childIndex(node, rest.charCodeAt(0));
      if (index < 0) return false;
      const child = node.children[index];
      if (!rest.startsWith(child.edge)) return false;
      rest = rest.slice(child.edge.length);
      node = child;
      path.push(node);
    }
    if (!node.hasValue) return false;
    node.hasValue = false;
    node.value = undefined;
    this.count--;
    // Compact: drop empty leaves, merge valueless nodes that have a single child.
    for (let depth = path.length - 1; depth > 0; depth--) {
      const current = path[depth];
      const parent = path[depth - 1];
      if (current.hasValue) break;
      if (current.children.length === 0) {
        parent.children.splice(childIndex(parent, current.edge.charCodeAt(0)), 1);
        continue;
      }
      if (current.children.length === 1) {
        const only = current.children[0];
        only.edge = current.edge + only.edge;
        parent.children[childIndex(parent, current.edge.charCodeAt(0))] = only;
      }
      break;
    }
    return true;
  }

  /** The smallest entry, or undefined when empty. */
  first(): [string, V] | undefined {
    return this.count === 0 ? undefined : smallest(this.root, '');
  }

  /** The largest entry, or undefined when empty. */
  last(): [string, V] | undefined {
    return this.count === 0 ? undefined : largest(this.root, '');
  }

  /**
   * The entry nearest to `key` in the direction of `op` (rax's raxSeek): `>=` and `>` give the
   * smallest key at or after it, `<=` and `<` the largest at or before it. One descent, no
   * iterator state: the stream steps from block to block with it.
   */
  seek(op: SeekOperator, key: string): [string, V] | undefined {
    if (op === '>=' || op === '>') return ceiling(this.root, '', key, op === '>');
    return floor(this.root, '', key, op === '<');
  }

  /**
   * Checks the compression invariants: edges are non-empty, children are sorted by their first
   * byte with no two sharing it, no valueless node other than the root has fewer than two
   * children, and the count matches. Throws on a violation; for tests.
   */
  checkInvariants(): void {
    let values = 0;
    const pending: Array<RadixNode<V>> = [this.root];
    while (pending.length > 0) {
      const node = pending.pop() as RadixNode<V>;
      if (node.hasValue) values++;
      if (node !== this.root) {
        if (node.edge.length === 0) throw new Error('radix: empty edge');
        if (!node.hasValue && node.children.length < 2) throw new Error('radix: uncompressed node');
      }
      for (let i = 1; i < node.children.length; i++) {
        if (node.children[i - 1].edge.charCodeAt(0) >= node.children[i].edge.charCodeAt(0)) {
          throw new Error('radix: children out of order');
        }
      }
      pending.push(...node.children);
    }
    if (values !== this.count) throw new Error('radix: size mismatch');
  }

  /** Entries in key order, starting at the first key ≥ `from` (or > with `exclusive`). */
  *ascending(from = '', exclusive = false): IterableIterator<[string, V]> {
    yield* this.walkUp(this.root, '', from, exclusive);
  }

  /** Entries in reverse key order, starting at the last key ≤ `from` (or < with `exclusive`). */
  *descending(from: string | null = null, exclusive = false): IterableIterator<[string, V]> {
    yield* this.walkDown(this.root, '', from, exclusive);
  }

  private *walkUp(
    node: RadixNode<V>,
    prefix: string,
    from: string,
    exclusive: boolean,
  ): IterableIterator<[string, V]> {
    if (node.hasValue && (prefix > from || (prefix === from && !exclusive))) {
      yield [prefix, node.value as V];
    }
    for (const child of node.children) {
      const path = prefix + child.edge;
      // A subtree entirely before `from` is skipped: its path is smaller and not a prefix of it.
      if (path < from && !from.startsWith(path)) continue;
      yield* this.walkUp(child, path, from, exclusive);
    }
  }

  private *walkDown(
    node: RadixNode<V>,
    prefix: string,
    from: string | null,
    exclusive: boolean,
  ): IterableIterator<[string, V]> {
    for (let i = node.children.length - 1; i >= 0; i--) {
      const child = node.children[i];
      const path = prefix + child.edge;
      // Every key in a subtree starts with its path, so a path beyond `from` excludes it all.
      if (from !== null && path > from) continue;
      yield* this.walkDown(child, path, from, exclusive);
    }
    if (node.hasValue && (from === null || prefix < from || (prefix === from && !exclusive))) {
      yield [prefix, node.value as V];
    }
  }
}
