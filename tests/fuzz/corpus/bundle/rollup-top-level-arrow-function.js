//- main.js
const f = a => a;
assert.equal( f( 42 ), 42 );
