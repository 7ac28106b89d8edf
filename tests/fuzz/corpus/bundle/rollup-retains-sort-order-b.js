//- main.js
import { Foo } from './foo';

export default new Foo();
//- bar.js
var bar = {};

bar.apply = function ( object ) {
	object.answer = 42;
};

export { bar };
//- foo.js
import { bar } from './bar';

var Foo = function () {
	this.id = incr();
};

bar.apply( Foo.prototype );

var count = 0;
function incr () { return count++; };

export { Foo };
