//- main.js
export * from './other.js';
export const main = 'main';
//- other.js
export * from './main.js';
export const other = 'other';
