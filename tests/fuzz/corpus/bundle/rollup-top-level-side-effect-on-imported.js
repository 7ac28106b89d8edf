//- main.js
import lib from './lib';

assert.strictEqual(lib.value, 'augmented');
//- lib.js
import obj from './obj';

obj.value = 'augmented';

export default obj;
//- obj.js
export default { value: 'original' };
