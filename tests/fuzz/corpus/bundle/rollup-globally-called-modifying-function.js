//- main.js
import value from './module.js';

assert.equal( value, 3 );
//- module.js
var value = 1;

function change () {
	value = 2;
}

function changeAgain () {
	value += 1;
}

change();

if ( true ) {
	changeAgain();
}

export default value;
