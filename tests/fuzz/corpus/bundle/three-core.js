//- entry.js
import { EventDispatcher } from './core/EventDispatcher.js';
import * as layers from './core/Layers.js';
export { Uniform } from './core/Uniform.js';
const target = new EventDispatcher();
target.addEventListener('ping', (event) => console.log(event.type));
target.dispatchEvent({ type: 'ping' });
export const mask = new layers.Layers().mask;
//- core/EventDispatcher.js

class EventDispatcher {
	addEventListener( type, listener ) {
		if ( this._listeners === undefined ) this._listeners = {};
		const listeners = this._listeners;
		if ( listeners[ type ] === undefined ) {
			listeners[ type ] = [];
		}
		if ( listeners[ type ].indexOf( listener ) === - 1 ) {
			listeners[ type ].push( listener );
		}
	}
	hasEventListener( type, listener ) {
		const listeners = this._listeners;
		if ( listeners === undefined ) return false;
		return listeners[ type ] !== undefined && listeners[ type ].indexOf( listener ) !== - 1;
	}
	removeEventListener( type, listener ) {
		const listeners = this._listeners;
		if ( listeners === undefined ) return;
		const listenerArray = listeners[ type ];
		if ( listenerArray !== undefined ) {
			const index = listenerArray.indexOf( listener );
			if ( index !== - 1 ) {
				listenerArray.splice( index, 1 );
			}
		}
	}
	dispatchEvent( event ) {
		const listeners = this._listeners;
		if ( listeners === undefined ) return;
		const listenerArray = listeners[ event.type ];
		if ( listenerArray !== undefined ) {
			event.target = this;
			// Make a copy, in case listeners are removed while iterating.
			const array = listenerArray.slice( 0 );
			for ( let i = 0, l = array.length; i < l; i ++ ) {
				array[ i ].call( this, event );
			}
			event.target = null;
		}
	}
}
export { EventDispatcher };
//- core/Layers.js

class Layers {
	constructor() {
		this.mask = 1 | 0;
	}
	set( layer ) {
		this.mask = ( 1 << layer | 0 ) >>> 0;
	}
	enable( layer ) {
		this.mask |= 1 << layer | 0;
	}
	enableAll() {
		this.mask = 0xffffffff | 0;
	}
	toggle( layer ) {
		this.mask ^= 1 << layer | 0;
	}
	disable( layer ) {
		this.mask &= ~ ( 1 << layer | 0 );
	}
	disableAll() {
		this.mask = 0;
	}
	test( layers ) {
		return ( this.mask & layers.mask ) !== 0;
	}
	isEnabled( layer ) {
		return ( this.mask & ( 1 << layer | 0 ) ) !== 0;
	}
}
export { Layers };
//- core/Uniform.js

class Uniform {
	constructor( value ) {
		this.value = value;
	}
	clone() {
		return new Uniform( this.value.clone === undefined ? this.value : this.value.clone() );
	}
}
export { Uniform };
