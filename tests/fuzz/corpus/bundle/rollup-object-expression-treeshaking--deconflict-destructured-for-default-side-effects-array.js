//- main.js
import bar from './dep.js';
let mutated = false;
const [
	Foo = (() => {
		mutated = true;
	})()
] = [];
assert.ok(mutated);
assert.deepStrictEqual(bar, { ok: true });
//- dep.js
const Foo = { ok: true };
export { Foo as default };
