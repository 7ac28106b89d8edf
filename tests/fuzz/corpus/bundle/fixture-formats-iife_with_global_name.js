// format: iife
// name: MyLibrary
//- /main.js
export function hello() { return 'hi'; }
export const version = '1.0';
