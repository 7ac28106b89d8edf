// format: iife
// name: my.lib
// A dotted global name creates the objects on the way (esbuild's shape).
//- /main.js
export const version = '1.0';
export default function hello() { return 'hi'; }
