import type { StreamNodeLimits } from '@rc/datatypes/stream';
import type { Config } from './config.js';

/** Stream block sizes from stream-node-max-entries and stream-node-max-bytes. */
export function streamLimits(config: Config): StreamNodeLimits {
  return {
    maxEntries: config.getNumber('stream-node-max-entries'),
    maxBytes: config.getNumber('stream-node-max-bytes'),
  };
}
