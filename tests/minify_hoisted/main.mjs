// `var` constants when minifying: read in place by their own module's code where no code
// of it runs before them and no cycle of imports can call its functions early; by name
// where one could read them as `undefined`.
import { combine, describe } from './flags.mjs';
import { early, limit } from './cycle_a.mjs';
import { before, read } from './late.mjs';

console.log(JSON.stringify([combine(8), describe(), early, limit(), before, read()]));
