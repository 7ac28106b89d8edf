//- main.js
import * as helpers from './helpers.js';
import foo from './foo.js';
import bar from './bar.js';

assert.equal( helpers.typeof( foo ), 'function' );
assert.equal( helpers.typeof( bar ), 'function' );
assert.equal( foo( 1 ), 'number' );
assert.equal( bar( 2 ), 'number' );
//- bar.js
import * as helpers from './helpers.js';

export default function bar ( a ) {
	return helpers.typeof( a );
}
//- foo.js
import * as helpers from './helpers.js';

export default function foo ( a ) {
	return helpers.typeof( a );
}
//- helpers.js
var _typeof = function ( thing ) {
	return typeof thing;
};

export { _typeof as typeof };
