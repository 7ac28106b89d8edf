//- main.js
import { hi } from './second';
assert.equal(hi(), 'hi');
//- first.js
export default function hi() {
  return 'hi';
}
//- second.js
import hi from './first';
export { hi };
