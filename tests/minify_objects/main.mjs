// Imported objects whose members are read in place (`--minify-syntax`), and the uses that
// must keep an object and read through it as written.
import tools from './tools.mjs';
import { api } from './api.mjs';
import kept from './kept.mjs';
import methods from './methods.mjs';
import snapshot, { bump } from './snapshot.mjs';
import { shapes } from './reexport.mjs';
import './mutate.mjs';
import late from './late.mjs';

const log = [];
// Read only as members, or called when the member never reads `this`: read in place.
const { add } = { add: tools.add };
log.push(add(2, 3), typeof tools.twice, typeof tools.label, `${tools.label}!`);
const { Point } = { Point: tools.Point };
log.push(new Point(1, 2).sum(), api.add === tools.add, api.version);
// Called, or constructed: `add` never reads `this`, so it is called alone.
log.push(tools.add(1, 1), new tools.Point(2, 2).sum(), api.add(2, 2));
// `kept` is written elsewhere (`mutate.mjs`) and listed here: every read goes through it.
log.push(kept.value, Object.keys(kept).sort().join());
// A call passes the object as `this`, and so does a tag: a method that reads it keeps it.
log.push(methods.describe(), methods.tag`x`, methods.name, methods.missing);
// A property holding a binding that changes holds the value the object was made with.
bump();
log.push(snapshot.count);
// A named import of `export * as`.
log.push(shapes.area(3), typeof shapes.nothing);
log.push(typeof late.early, late.late);
console.log(JSON.stringify(log));
