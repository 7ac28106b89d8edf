//- main.js
var _foo = foo;
_foo.x = 42;
