//- main.js
import one from './subdir/one';
import Two from './subdir/two';

assert.equal( one(), 1 );
assert.equal( Two(), 2 );
//- altdir/two.js
function two () {
	// imported as _two by subdir/two.js
	return 2;
}

export { two };
//- subdir/one.js
import { two } from '../altdir/two';

export default function one () {
	return two() - 1;
}
//- subdir/two.js
import { two as _two } from '../altdir/two';

export default function two () {
	// imported as Two by main.js
	return _two();
}
