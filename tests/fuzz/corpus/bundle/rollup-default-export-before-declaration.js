//- main.js
export default foo;
var foo = true;
