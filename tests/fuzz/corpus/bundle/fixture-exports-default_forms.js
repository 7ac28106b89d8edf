// format: cjs
//- /main.js
import expression from './expression.js';
import anonymousFunction from './anonymous-function.js';
import AnonymousClass from './anonymous-class.js';
import named from './named-function.js';
import snapshot from './snapshot.js';
export { expression, anonymousFunction, AnonymousClass, named, snapshot };
console.log(expression, anonymousFunction(), new AnonymousClass().kind, named(), snapshot);
// Anonymous default functions and classes are called `default`.
console.log(anonymousFunction.name, AnonymousClass.name, AnonymousClass.seen);
//- /expression.js
export default 40 + 2;
//- /anonymous-function.js
export default function () { return 'anonymous'; }
//- /anonymous-class.js
export default class { static seen = this.name; constructor() { this.kind = 'class'; } }
//- /named-function.js
export default function named() { return named.name; }
//- /snapshot.js
let value = 'before';
// `export default <identifier>` exports the value at this point, not a live binding.
export default value;
value = 'after';
