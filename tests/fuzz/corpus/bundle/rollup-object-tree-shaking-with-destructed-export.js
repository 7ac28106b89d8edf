//- main.js
import { bar } from './module';

assert(bar.baz, 1);
//- module.js
const foo = { bar: { baz: 1 } };
export const { bar } = foo;
