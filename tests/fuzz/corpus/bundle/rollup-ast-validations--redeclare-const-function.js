//- main.js
const foo = 1;
function foo() {}
