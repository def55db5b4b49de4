// The CommonJS side: Node >= 20.19 can require() the ES modules through their exports.
const assert = require('node:assert/strict');
const { ReplyParser, ReplyWriter } = require('@rc/resp');
const { SortedSet } = require('@rc/datatypes/zset');
const { readRdb, writeRdb } = require('@rc/rdb');
const { RcServer } = require('@rc/server');
const { LuaRuntime } = require('@rc/lua');
const { keyHashSlot } = require('@rc/cluster');

const writer = new ReplyWriter();
writer.simple('PONG');
const parser = new ReplyParser();
parser.feed(writer.take());
assert.equal(parser.next(), 'PONG');

const zset = new SortedSet();
zset.add('x', 5);
assert.equal(zset.score('x'), 5);

const file = writeRdb([{ db: 0, key: 'k', value: { type: 'list', items: ['a'] }, expireAt: null }]);
assert.ok(readRdb(file).some((record) => record.kind === 'key' && record.key === 'k'));
const lua = new LuaRuntime();
assert.equal(lua.call(lua.load('return tostring(0x100000000)', 'smoke'))[0], '4294967296');
assert.equal(keyHashSlot('{user1000}.following'), 3443);
RcServer.start().then(async (server) => {
  server.data.set('k', 'v');
  assert.deepEqual(server.data.get('k'), { type: 'string', value: 'v' });
  await server.stop();
  console.log('CommonJS smoke test passed');
});
