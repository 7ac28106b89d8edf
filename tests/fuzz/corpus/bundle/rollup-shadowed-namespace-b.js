//- main.js
import * as bar from './bar';

function car () {
	var foo = function () {
		return 'nope';
	};
	return bar.foo();
}

assert.equal( car(), 42 );
//- bar.js
export function foo () {
	return 42;
}
