//- main.js
import * as Bob from "./bob";
import * as Alice from "./alice";

function g() {
  var foo = Bob.foo();
  return foo;
}

function f() {
  var foo = Alice.foo();
  return foo;
}

assert.equal(f(), "alice");
assert.equal(g(), "bob");



//- alice.js
import * as Bob from "./bob";
export function foo() {
  return "alice";
}

//- bob.js
import * as Alice from "./alice";
export function foo() {
  return "bob";
}
