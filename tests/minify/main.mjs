// The cases a printer without whitespace gets wrong, each printing what it computed.
import { total, labels, Counter, Point, jump, escapes, closeScript, reassignFrozen } from './cases.mjs';
import * as keywords from './keywords.mjs';
import * as namespace from './namespace.mjs';

const log = [];
let a = 1
let b = a
;(function () { log.push('iife after ASI') })()
;[a, b] = [b + 1, a + 1]
log.push(`swapped ${a} ${b}`)
const divided = a / 2 / 1
const regexp = /=+\/[a-z]{2,}/g.source
log.push(divided, regexp, 4 / /2/.source.length)
for (let i = ('x' in { x: 1 }) ? 0 : 1; i < 2; i++) log.push('for-in-init', i)
for (const key in { y: 1 }) log.push('for-in', key)
log.push(total(1, 2, 3), labels(), new Counter().next().next().value)
const point = new Point(3, 4)
log.push(point.length, point.hasHidden(), Point.origin.x)
log.push(jump(), escapes, closeScript, keywords.default.if, keywords.typeof, keywords.class)
log.push(a++ + +b, a - -b, a+ ++b, typeof typeof a, void 0 in {})
log.push(reassignFrozen())
// A namespace object that escapes: its keys (sorted), live bindings, null prototype, tag,
// an export named `__proto__` (a key, not the prototype) and one that is not an identifier.
const escaped = [namespace][0]
escaped.bump()
log.push(Object.keys(escaped).join(), escaped.count, Object.getPrototypeOf(escaped))
log.push(Object.prototype.toString.call(escaped), escaped.__proto__, escaped['with space'], escaped.default)
log.push(Object.isExtensible(escaped), Object.getOwnPropertyNames(escaped).length)
console.log(JSON.stringify(log))
