//- main.js
import { one as oneRenamed } from './one';
import { two } from './two';
import { three as threeRenamed } from './three';

assert.equal( oneRenamed, 1 );
assert.equal( two, 2 );
assert.equal( threeRenamed, 3 );
//- one.js
export var one = 1;
//- three.js
export var three = 3;
//- two.js
import { one as _one } from './one';
import { three as _three } from './three';

export var two = _three - _one;
