//- main.js
import dep1 from './dep1';
assert.strictEqual(dep1, undefined);
//- dep1.js
import dep2 from './dep2';
export default dep2;
//- dep2.js
import dep1 from './dep1';
export default dep1;
