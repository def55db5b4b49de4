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
