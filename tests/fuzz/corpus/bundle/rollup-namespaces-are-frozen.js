//- main.js
import * as ns from './mod';

export { ns };
//- mod.js
export var a = 1;
export var b = 2;
