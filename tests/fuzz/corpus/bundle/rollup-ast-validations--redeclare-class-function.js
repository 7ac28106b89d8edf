//- main.js
class foo {}
function foo() {}
