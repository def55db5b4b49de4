export { QuickList } from './list/index.js';
