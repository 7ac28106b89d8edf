//- main.js
import foo from './foo';

assert.equal( foo(), 'not actually foo' );
//- foo.js
export default notActuallyFoo;

function notActuallyFoo () {
  return 'not ' + foo();
}

function foo () {
  return 'actually foo';
}
