//- main.js
import { x } from './x.js';

let y;

function foo ({ x = 42 }) {
	y = x;
}

foo({});
assert.equal( y, 42 );
//- x.js
export var x = 'whatever';
