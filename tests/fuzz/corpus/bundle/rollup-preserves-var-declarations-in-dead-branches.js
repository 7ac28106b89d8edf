//- main.js
if ( false ) {
	var foo;
}

assert.equal( foo, undefined );
