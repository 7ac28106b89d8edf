//- main.js
let foo;
function foo() {}
