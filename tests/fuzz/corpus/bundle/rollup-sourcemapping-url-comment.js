//- main.js
////# sourceMappingURL=foo
var val = 42;
assert.equal( val, 42 );
