// A function in an object another module calls through: moves into the object.
function lerp(a, b, t) {
  return `moved:slot ${a + (b - a) * t}`;
}
export const registry = { lerp, name: 'registry' };

// Called once by a function of its own module: moves into that function.
function format(n) {
  return `moved:nested#${n}`;
}
export function describe(n) {
  return format(n) + '!';
}

// Called once, by a function called twice: each call makes its own counter.
function counterBody() {
  let c = 0;
  return () => 'moved:counter ' + (c += 1);
}
export function makeCounter() {
  return counterBody();
}

// Read twice: keeps its name.
export function twice(x) {
  return 'kept:twice ' + x;
}

// Called with `new`: keeps its name (each `new` would get another prototype).
export function Point(x, y) {
  this.x = x;
  this.y = y;
  this.tag = 'kept:constructor';
}

// Called once in an arrow function of its own module: moves.
function square(x) {
  return 'moved:arrow ' + x * x;
}
export const area = (r) => square(r) + '!';

import { step } from './step.mjs';
export function applyStep(x) {
  return step(x) + '!';
}


// Returning `new` and a name: the arrow function ends with the name (`()=>new e`).
class Tag {
  constructor() {
    this.name = 'tag';
  }
}
export function makeTag() {
  return new Tag;
}
