//- main.js
var sourceMappingURL;

//#
sourceMappingURL='something';

assert.equal( sourceMappingURL, 'something' );
