//- main.js
const foo = 1;
foo = 2;
