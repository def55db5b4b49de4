import { DictShape, type ResizePolicy } from './dict-shape.js';
import type { Engine } from './engine.js';
import type { RedisSet } from './values.js';

// Where Redis's dict would hold the members of each hashtable-encoded set (DictShape), kept
// beside the sets so that values carry no field for it.
const shapes = new WeakMap<RedisSet, DictShape>();

/** The dict shape of a hashtable-encoded set, made to fit its members when first asked; null for an intset. */
export function setShape(set: RedisSet): DictShape | null {
  if (set.isIntset) return null;
  let shape = shapes.get(set);
  if (shape === undefined) {
    shape = DictShape.fitting(set.size);
    shapes.set(set, shape);
  }
  return shape;
}

/** updateDictResizePolicy, as the main process sees it. */
export function resizePolicy(engine: Engine): ResizePolicy {
  return engine.childRunning ? 'avoid' : 'enable';
}
