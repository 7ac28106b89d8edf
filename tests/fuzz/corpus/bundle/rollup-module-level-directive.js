//- main.js
"use asm";

export default 1;
