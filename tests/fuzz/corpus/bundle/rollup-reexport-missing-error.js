//- main.js
export { foo as bar } from './empty.js';
//- empty.js
// this space left intentionally blank
