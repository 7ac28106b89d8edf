//- main.js
import foo from './foo.js';
foo();
assert.equal( global.answer, 42 );
//- foo.js
export default (function () {
  global.answer = 42;
});
