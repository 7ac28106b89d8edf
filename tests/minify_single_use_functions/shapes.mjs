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

import { step, touch } from './step.mjs';
import { readsGlobal } from './globals.mjs';
export function applyStep(x) {
  return step(x) + readsGlobal('!');
}
export function wide(a0,a1,a2,a3,a4,a5,a6,a7,a8,a9,a10,a11,a12,a13,a14,a15,a16,a17,a18,a19,a20,a21,a22,a23,a24,a25,a26,a27,a28,a29,a30,a31,a32,a33,a34,a35,a36,a37,a38,a39,a40,a41,a42,a43,a44,a45,a46,a47,a48,a49,a50,a51,a52,a53,a54,a55,a56,a57,a58,a59) {
  return touch(a0) + a59;
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
