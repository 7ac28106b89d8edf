//- main.js
import * as ns from './mod';

assert.equal( Object.getPrototypeOf(ns), null );
//- mod.js
export var a = 1;
export var b = 2;
