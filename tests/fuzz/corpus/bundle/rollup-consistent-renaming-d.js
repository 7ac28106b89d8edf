//- main.js
import Foo from './foo';
import bar from './bar';

var baz = Foo.baz();
assert.ok( baz.isBaz );
assert.ok( bar().inheritsFromBaz );
//- Baz.js
function Baz () {
	this.isBaz = true;
}

export default Baz;
//- bar.js
import Baz from './Baz';
import Foo from './foo';

function Bar () {
	this.inheritsFromBaz = this.isBaz;
}

Bar.prototype = new Baz();

export default function bar() {
  return new Bar();
}
//- foo.js
import baz from './foo/baz';

export default function Foo () {}

Foo.baz = baz;
//- foo/baz.js
import Baz from '../Baz';

export default function baz () {
  return new Baz();
}
