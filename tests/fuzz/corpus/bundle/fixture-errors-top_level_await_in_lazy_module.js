//- /main.js
import('./lazy.js').then((ns) => console.log(ns.value));
//- /lazy.js
export const value = await Promise.resolve(1);
