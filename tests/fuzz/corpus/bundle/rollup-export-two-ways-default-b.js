//- main.js
import { x } from './x.js';
import './bar.js';

var result = x().foo().bar();
assert.ok( result.didFoo );
assert.ok( result.didBar );
//- bar.js
import { X } from './x.js';

X.prototype.bar = function () {
	this.didBar = true;
	return this;
};
//- foo.js
export function X () {}

X.prototype.foo = function () {
	this.didFoo = true;
	return this;
};

export default ( false || X );
//- x.js
export { default as X } from './foo.js';
import { X } from './foo.js';

export function x () {
	return new X();
}
