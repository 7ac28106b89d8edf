// format: cjs
//- /main.js
console.log(this === undefined, typeof this);
const arrow = () => this;
console.log(arrow());
function f() { 'use strict'; return this; }
console.log(f());
