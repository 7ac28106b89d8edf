// lodash-es declares its flags so: after its imports, before its functions.
import { log } from './log.mjs';

var BIND = 1,
  KEY = 2,
  LONG_FLAG = 'a long flag, read once';

export function combine(mask) {
  log('combine');
  return mask | BIND | KEY;
}

export function describe() {
  return LONG_FLAG;
}
