// format: iife
// An IIFE without a global name would drop the entry's exports: an error, as in rollup.
//- /main.js
export const lost = 'exports need a global name';
console.log(lost);
