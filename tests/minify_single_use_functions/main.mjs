// Functions read once, written where they are read (see `tests/minify.rs`). Each function's
// body holds a marker string the test finds in the bundle.
import { registry, describe, makeCounter, twice, Point, area, applyStep, makeTag, wide } from './shapes.mjs';

const log = [];

// Called once, at the top level: moves, and runs exactly as before.
function onlyOnce(a) {
  log.push('moved:once ' + a);
  return a + 1;
}
const result = onlyOnce(41);

// Called once, in a loop: moves, and is made on every turn (which nothing can tell).
function joinPair(v) {
  return v.map(String).join('moved:loop');
}
for (let i = 0; i < 2; i++) log.push(joinPair([i, i + 1]));

// Calls itself: keeps its name.
function countDown(n) {
  return n <= 0 ? 'kept:recursive' : countDown(n - 1);
}

// Called before its declaration (a function exists from the start): moves.
log.push(early(1));
function early(x) {
  return 'moved:early ' + x;
}

// Called once in a method, reading `this`: moves, but stays a function (an arrow function
// would read the method's `this`).
function kindOf() {
  return 'moved:this ' + typeof this;
}
// ... reading `arguments`: the same (an arrow function would read the caller's).
function countArguments() {
  return 'moved:arguments ' + arguments.length;
}
// Returning an object: an arrow function returns it in parentheses.
function box(v) {
  return { v, tag: 'moved:object' };
}
class Box {
  get kind() {
    return [kindOf(), box(typeof this)];
  }
}
function outer(a, b) {
  return countArguments(a);
}

log.push(new Box().kind, outer(1, 2));
log.push(result, countDown(3), registry.lerp(1, 3, 0.5), describe(7));
log.push(makeCounter()(), makeCounter()(), twice(2), twice.length, new Point(1, 2).x, area(2));
log.push(applyStep(5), registry.name, makeTag().name);
log.push(wide(...Array.from({ length: 60 }, (_, i) => i)));
console.log(JSON.stringify(log));
