//- main.js
import Foo from './foo.js';

assert.equal( new Foo().bar(), 42 );
//- bar.js
exports.bar = {
	foobar: function () {
		return 42;
	}
};
//- foo.js
import { bar } from 'bar';

export default function Foo() {
	this.answer = bar.foobar();
}

Foo.prototype.bar = function () {
	return bar.foobar();
};
