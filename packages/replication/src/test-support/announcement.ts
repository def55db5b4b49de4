import type { ReplicaAnnouncement } from '../connected-replica.js';

/** What a replica announces in the tests: diskless-capable and PSYNC2, no filter. */
export const announced: ReplicaAnnouncement = {
  listeningPort: 0,
  address: null,
  capaEof: true,
  capaPsync2: true,
  rdbFilter: null,
};
