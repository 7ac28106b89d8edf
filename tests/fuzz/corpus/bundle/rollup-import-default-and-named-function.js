//- main.js
import foo, { callsFoo } from './foo';

assert.strictEqual(foo(), 1);
assert.strictEqual(callsFoo(), 1);
//- foo.js
export default function foo() {
  return 1;
}

export function callsFoo() {
  return foo();
}
