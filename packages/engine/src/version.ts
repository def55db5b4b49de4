/** The Redis version rc answers as: HELLO, INFO, LOLWUT, Lua's REDIS_VERSION, RDB aux fields. */
export const SERVER_VERSION = '7.0.15';
