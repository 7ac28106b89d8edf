//- main.js
import { run } from './lib.js';
export const result = run();
//- lib.js
import * as lib from './lib';
export const op = x => x * x;
export const run = () => lib.op( 2 );
