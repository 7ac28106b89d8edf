//- main.js
import foo from './foo';

assert.equal( foo( 'answer' ), 42 );
//- foo.js
var obj = {
	set: function ( key, value ) {
		this[ key ] = value;
	},

	get: function ( key ) {
		return this[ key ];
	}
};

obj.set( 'answer', 42 );

export default function ( key ) {
	return obj.get( key );
}
