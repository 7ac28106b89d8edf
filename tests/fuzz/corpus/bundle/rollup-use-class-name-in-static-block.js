//- main.js
import { Test } from './test1.js';
import { Test as Test2 } from './test2.js';

assert.ok(Test.test);
assert.ok(Test2.test);
//- test1.js
export class Test {
	constructor() {
		assert.ok(Test.test);
		assert.ok(this.getText());
	}
	getText() {
		return Test.test;
	}
	static test = 'Test1';
	static {
		assert.ok(Test.test);
		new Test();
	}
}
//- test2.js
export class Test {
	constructor() {
		assert.ok(Test.test);
		assert.ok(this.getText());
	}
	getText() {
		return Test.test;
	}
	static test = 'Test2';
	static {
		assert.ok(Test.test);
		new Test();
	}
}
