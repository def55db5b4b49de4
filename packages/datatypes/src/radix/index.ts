export { RadixTree, type SeekOperator } from './radix-tree.js';
