//- main.js
export { sep } from 'path';
