//- main.js
import * as ns from './namespace';

export const isNull = prop => (ns[prop] === null ? true : false);
//- namespace.js
export const a = null;
export const b = true;
