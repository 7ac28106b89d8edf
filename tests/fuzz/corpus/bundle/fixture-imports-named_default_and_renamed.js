//- /main.js
import greet, { name as who, punctuation } from './greeting.js';
console.log(greet(who) + punctuation);
//- /greeting.js
export default function greet(name) {
  return 'hello, ' + name;
}
export const name = 'world';
export let punctuation = '!';
