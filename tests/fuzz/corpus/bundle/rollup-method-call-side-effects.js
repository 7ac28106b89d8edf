//- main.js
import object from './object';
import thing from './thing';

assert.ok( object.mutated );
assert.ok( thing.methodWasCalled );
//- object.js
import thing from './thing';

var object = {};
thing.mutate( object );

export default object;
//- thing.js
export default {
	mutate: function ( object ) {
		object.mutated = true;
		this.methodWasCalled = true;
	},

	methodWasCalled: false
};
