// A renamed class keeps its `.name` (verde writes `let Thing$1 = class Thing {}`), except
// when its heritage refers to another binding whose final name is the class's own name:
// the bundle prints "Thing$1 Thing$1", node "Thing Thing".
//- main.mjs
import { Thing as Base } from "./base.mjs";
class Thing extends Base {}
console.log(Thing.name, new Thing().constructor.name);
//- base.mjs
export class Thing {}
