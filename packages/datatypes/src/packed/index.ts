export { PackedMap } from './packed-map.js';
