//- /main.js
import { count, increment } from './counter.js';
console.log(count);
increment();
increment();
console.log(count);
//- /counter.js
export let count = 0;
export function increment() {
  count += 1;
}
