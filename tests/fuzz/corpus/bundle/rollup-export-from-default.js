//- main.js
import a from './second';
assert.equal(a, 1);
//- first.js
export default 1;
//- second.js
export { default } from './first';
