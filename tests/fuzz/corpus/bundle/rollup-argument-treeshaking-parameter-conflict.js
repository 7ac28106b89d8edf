//- main.js
import * as dep from './dep';

function test(mutate) {
	dep.mutate('hello');
}

test();

assert.strictEqual(dep.value, 1);
//- dep.js
export let value = 0;
export const mutate = () => value++;
