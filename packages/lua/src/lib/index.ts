export { installBit } from './bit.js';
export { CJSON_NULL, installCjson } from './cjson.js';
export { installCmsgpack } from './cmsgpack.js';
export { installMath } from './math.js';
export { installOs } from './os.js';
export { RedisRandom } from './random.js';
export { installString } from './string.js';
export { installStruct } from './struct.js';
export { installTable } from './table.js';
