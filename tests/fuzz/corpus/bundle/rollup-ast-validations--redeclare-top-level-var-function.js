//- main.js
var foo;
function foo() {}
