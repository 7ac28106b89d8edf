//- main.js
import foo from './foo';
import bar from './bar';
import { normalize } from 'path';

assert.equal( foo, 'foo' );
assert.equal( bar(), normalize('../../baz/bar') );
//- bar.js
import foo from 'path';

export default function () {
	return foo.relative( 'foo/bar/baz', 'foo/baz/bar' );
};
//- foo.js
export default 'foo';
