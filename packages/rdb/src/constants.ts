/** RDB format constants, as defined by Redis's rdb.h (7.0 to 7.4). */

/** The version this package writes, and the newest DUMP payload version Redis 7.0 accepts. */
export const RDB_VERSION = 10;
/** The newest file version the reader understands (Redis 7.4). */
export const RDB_MAX_READ_VERSION = 12;

// Value types (the byte before a key).
export const TYPE_STRING = 0;
export const TYPE_LIST = 1;
export const TYPE_SET = 2;
export const TYPE_ZSET = 3;
export const TYPE_HASH = 4;
export const TYPE_ZSET_2 = 5;
export const TYPE_MODULE_PRE_GA = 6;
export const TYPE_MODULE_2 = 7;
export const TYPE_HASH_ZIPMAP = 9;
export const TYPE_LIST_ZIPLIST = 10;
export const TYPE_SET_INTSET = 11;
export const TYPE_ZSET_ZIPLIST = 12;
export const TYPE_HASH_ZIPLIST = 13;
export const TYPE_LIST_QUICKLIST = 14;
export const TYPE_STREAM_LISTPACKS = 15;
export const TYPE_HASH_LISTPACK = 16;
export const TYPE_ZSET_LISTPACK = 17;
export const TYPE_LIST_QUICKLIST_2 = 18;
export const TYPE_STREAM_LISTPACKS_2 = 19;
export const TYPE_SET_LISTPACK = 20;
export const TYPE_STREAM_LISTPACKS_3 = 21;
export const TYPE_HASH_METADATA_PRE_GA = 22;
export const TYPE_HASH_LISTPACK_EX_PRE_GA = 23;
export const TYPE_HASH_METADATA = 24;
export const TYPE_HASH_LISTPACK_EX = 25;

// Opcodes (a byte where a value type may appear).
export const OPCODE_SLOT_INFO = 244;
export const OPCODE_FUNCTION2 = 245;
export const OPCODE_FUNCTION_PRE_GA = 246;
export const OPCODE_MODULE_AUX = 247;
export const OPCODE_IDLE = 248;
export const OPCODE_FREQ = 249;
export const OPCODE_AUX = 250;
export const OPCODE_RESIZEDB = 251;
export const OPCODE_EXPIRETIME_MS = 252;
export const OPCODE_EXPIRETIME = 253;
export const OPCODE_SELECTDB = 254;
export const OPCODE_EOF = 255;

// Length encoding: the two top bits of the first byte.
export const LENGTH_6BIT = 0;
export const LENGTH_14BIT = 1;
export const LENGTH_32BIT = 0x80;
export const LENGTH_64BIT = 0x81;
export const LENGTH_ENCODED_VALUE = 3;

// Special string encodings (after LENGTH_ENCODED_VALUE).
export const ENCODING_INT8 = 0;
export const ENCODING_INT16 = 1;
export const ENCODING_INT32 = 2;
export const ENCODING_LZF = 3;

// Quicklist 2 node containers.
export const QUICKLIST_NODE_PLAIN = 1;
export const QUICKLIST_NODE_PACKED = 2;

// Stream listpack entry flags (t_stream.c).
export const STREAM_ITEM_FLAG_DELETED = 1;
export const STREAM_ITEM_FLAG_SAMEFIELDS = 2;
