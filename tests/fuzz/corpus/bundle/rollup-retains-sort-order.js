//- main.js
import { Foo, Bar } from './foobar';

new Foo();
export default new Bar().test();
//- baz.js
export default 'GREAT SUCCESS';
//- foobar.js
import baz from './baz';

export function Foo () {}

Foo.prototype.test = function () {
	return 'nope';
};

export function Bar () {}

Bar.prototype = Object.create( Foo.prototype );

Bar.prototype.test = function () {
	return baz;
};
