export { RadixTree } from './radix-tree.js';
