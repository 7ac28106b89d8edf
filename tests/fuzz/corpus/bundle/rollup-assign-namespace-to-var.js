//- main.js
import * as b from './b';

var val = b.foo();
var val2 = b.bar;
//- b.js
export function foo () {
	return 10;
}

export var bar = 20;
