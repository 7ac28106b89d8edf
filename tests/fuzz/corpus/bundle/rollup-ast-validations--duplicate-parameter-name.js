//- main.js
function foo(a,a) {}
