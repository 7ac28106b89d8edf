//- main.js
import './conflict1.js';
import foo from './used.js';
import './conflict2.js';

assert.equal(foo(1), 2);
//- conflict1.js
function foo(){
	throw new Error('Wrong foo function referenced.')
}
//- conflict2.js
function foo(){
	throw new Error('Wrong foo function referenced.')
}
//- used.js
export default function foo() {
	foo = function(x){
		return x + 1;
	};
	return foo.apply(this, arguments);
}
