// Names spelled with escapes that decode to verde's marker prefix (`$ᐸ`) in every position
// a name can take: they are user text, never relocations.
//- /main.js
import { inner, shapes } from './dep.js';
const a = "top";
function f() { let \u0024ᐸ0_ = "inner"; return [\u0024ᐸ0_, a]; }
console.log(f(), inner(), shapes());
//- /dep.js
const a = "dep";
export function inner() {
  let $\u1438 = 1, $\u14380_ = 2;
  $\u1438v: for (;;) { break $\u1438v; }
  return [$\u1438, $\u14380_, a];
}
class Shape {
  #$\u1438 = 'private';
  $\u1438() { return this.#$\u1438; }
  static $\u1438_ = 'static';
}
export function shapes(p$\u1438 = 3) {
  const o = { $\u1438: 1, '$\u1438': 2, [`$\u1438`]: 3 };
  return [new Shape().$\u1438(), Shape.$\u1438_, o.$\u1438, p$\u1438, "$\u14380_", a];
}
