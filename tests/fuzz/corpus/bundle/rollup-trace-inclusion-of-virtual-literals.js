//- main.js
const foo = [].slice();
foo.push(1);

assert.equal(foo[0], 1);
