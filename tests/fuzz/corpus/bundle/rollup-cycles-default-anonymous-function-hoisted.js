//- main.js
import f from "./f.js";
import g from "./g.js";

assert.equal(g(), "fn");
//- f.js
import g from "./g.js";
export default function (fn) {
  return function (str) { return str || g(fn.name); }
}
//- g.js
import f from "./f.js";
export default f(function fn(str) {
  return str + str;
});
