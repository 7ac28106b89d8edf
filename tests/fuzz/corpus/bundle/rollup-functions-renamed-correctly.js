//- main.js
import { before } from './before';
import { x } from './factorial';
import { after } from './after';

before(); // before and after ensure x is renamed
assert.equal( x( 5 ), 120 );
after();
//- after.js
function x () {
	return 'after';
}

export { x as after };
//- before.js
function x () {
	return 'before';
}

export { x as before };
//- factorial.js
var x = (function () {
	return function x ( num ) {
		return num <= 2 ? num : num * x( num - 1 );
	};
})();

export { x };
