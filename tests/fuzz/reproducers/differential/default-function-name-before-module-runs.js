// An anonymous default function is called "default". verde renames it (`main_default`)
// and restores the name with `Object.defineProperty` where the module runs; a module that
// runs earlier (through a cycle) sees the hoisted function with the made-up name: the
// bundle prints "main_default", node "default".
//- main.mjs
import "./a.mjs";
export default function () {}
//- a.mjs
import f from "./main.mjs";
console.log(f.name);
