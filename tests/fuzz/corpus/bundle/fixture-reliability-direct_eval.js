// A direct `eval` sees its module's bindings by name: they are kept (not tree-shaken) and
// keep their names, even where another module declares the same name.
//- /main.js
import { run } from './evaluator.js';
const helper = 'main helper';
console.log(run('helper + " / " + unusedOtherwise'), helper);
//- /evaluator.js
const helper = 'evaluator helper';
const unusedOtherwise = 'kept for eval';
export function run(code) { return eval(code); }
