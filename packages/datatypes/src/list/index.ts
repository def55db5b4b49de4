export { QuickList } from './quicklist.js';
