//- main.js
if ( Math.random() <= 1 ) {
	var x = 1;
} else {
	var x = 2;
}

assert.equal( x, 1 );
