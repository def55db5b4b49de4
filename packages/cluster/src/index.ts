export { crc16, keyHashSlot, SLOT_COUNT } from './key-slot.js';
export {
  BusFrameReader,
  decodeBusMessage,
  encodeBusMessage,
  GOSSIP_ENTRY_LENGTH,
  HEADER_LENGTH,
  MESSAGE_TYPES,
  MessageFlag,
  messageTypeName,
  NODE_NAME_LENGTH,
  NodeFlag,
  SLOT_BITMAP_BYTES,
  type BusMessage,
  type DecodeResult,
  type GossipEntry,
  type MessageHeader,
  type MessageType,
} from './bus-message.js';
export {
  ClusterNode,
  formatNodeFlags,
  isNodeName,
  randomNodeName,
  slotRanges,
  type BusLink,
} from './cluster-node.js';
export {
  ClusterState,
  type ClusterHost,
  type ClusterSettings,
  type LogLevel,
} from './cluster-state.js';
export { CorruptNodesConfig, formatNodesConfig, parseNodesConfig } from './nodes-config.js';
