// Imported constants in the places a literal needs care: before `.`, after `-`, `typeof`
// and `?`, in templates, shorthand properties, defaults and `in`.
import { ZERO, HALF, K, S, LONG, BIG, SEVEN, NEG, counter, bump } from './constants.mjs';
import { TWICE, ONE_ITEM_TWICE } from './constants.mjs';
import { viaNamespace, twiceViaNamespace } from './shapes.mjs';
// A module's default export, a template read once: read in place.
import chunk from './chunk.mjs';
import * as flags from './flags.mjs';
import { TITLE } from './flags.mjs';

const log = [];
log.push({ ZERO }, ZERO.toString(), K.toFixed(1), HALF.toFixed(2), -K, typeof S);
log.push(`${S}${HALF}`, 2 ** K > 0, K in { 1000: 1 }, [LONG, BIG, SEVEN, NEG]);
const pick = (flag, value = K) => (flag ? HALF : value);
log.push(pick(true), pick(false), ZERO ? 'yes' : 'no', S + K, K / SEVEN | ZERO);
bump();
log.push(counter, viaNamespace, BIG.toString().length);
// Members read, not called: through the literal, a number's in parentheses.
log.push(S.length, typeof K.toFixed);
log.push(TWICE, twiceViaNamespace, chunk, [ONE_ITEM_TWICE, ONE_ITEM_TWICE.length]);
log.push(TWICE.length);
flags.increment();
log.push(flags, TITLE);
console.log(JSON.stringify(log));
export { ZERO };
