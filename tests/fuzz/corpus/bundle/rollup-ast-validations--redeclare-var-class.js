//- main.js
var foo;
class foo {}
