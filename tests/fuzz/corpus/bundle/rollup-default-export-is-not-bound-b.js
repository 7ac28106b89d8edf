//- main.js
import Foo from './foo';

export default new Foo();
//- foo.js
var Foo = function () {
	this.bar = bar();
}

export default Foo;
Foo = 'something else';

function bar() {
	return 42;
}
