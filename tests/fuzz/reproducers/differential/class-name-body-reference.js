// The same as open-class-name-extends-same-name.js, with the reference in the class body:
// the bundle prints "x$1", node "x".
//- main.mjs
import { x as make } from "./a.mjs";
class x {
  static tag = make();
}
console.log(x.name, x.tag);
//- a.mjs
export function x() {
  return 1;
}
