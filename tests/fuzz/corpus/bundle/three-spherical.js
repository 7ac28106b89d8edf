//- entry.js
import { Spherical } from './math/Spherical.js';
import { Cylindrical } from './math/Cylindrical.js';
import * as MathUtils from './math/MathUtils.js';
console.log(new Spherical(1, 2, 3).makeSafe().phi, new Cylindrical().radius, MathUtils.clamp(5, 0, 1));
export { MathUtils };
//- math/Spherical.js
import { clamp } from './MathUtils.js';
class Spherical {
	constructor( radius = 1, phi = 0, theta = 0 ) {
		this.radius = radius;
		this.phi = phi;
		this.theta = theta;
	}
	set( radius, phi, theta ) {
		this.radius = radius;
		this.phi = phi;
		this.theta = theta;
		return this;
	}
	copy( other ) {
		this.radius = other.radius;
		this.phi = other.phi;
		this.theta = other.theta;
		return this;
	}
	makeSafe() {
		const EPS = 0.000001;
		this.phi = clamp( this.phi, EPS, Math.PI - EPS );
		return this;
	}
	setFromVector3( v ) {
		return this.setFromCartesianCoords( v.x, v.y, v.z );
	}
	setFromCartesianCoords( x, y, z ) {
		this.radius = Math.sqrt( x * x + y * y + z * z );
		if ( this.radius === 0 ) {
			this.theta = 0;
			this.phi = 0;
		} else {
			this.theta = Math.atan2( x, z );
			this.phi = Math.acos( clamp( y / this.radius, - 1, 1 ) );
		}
		return this;
	}
	clone() {
		return new this.constructor().copy( this );
	}
}
export { Spherical };
//- math/Cylindrical.js

class Cylindrical {
	constructor( radius = 1, theta = 0, y = 0 ) {
		this.radius = radius;
		this.theta = theta;
		this.y = y;
	}
	set( radius, theta, y ) {
		this.radius = radius;
		this.theta = theta;
		this.y = y;
		return this;
	}
	copy( other ) {
		this.radius = other.radius;
		this.theta = other.theta;
		this.y = other.y;
		return this;
	}
	setFromVector3( v ) {
		return this.setFromCartesianCoords( v.x, v.y, v.z );
	}
	setFromCartesianCoords( x, y, z ) {
		this.radius = Math.sqrt( x * x + z * z );
		this.theta = Math.atan2( x, z );
		this.y = y;
		return this;
	}
	clone() {
		return new this.constructor().copy( this );
	}
}
export { Cylindrical };
//- math/MathUtils.js
function clamp( value, min, max ) {
	return Math.max( min, Math.min( max, value ) );
}
function euclideanModulo( n, m ) {
	// https://en.wikipedia.org/wiki/Modulo_operation
	return ( ( n % m ) + m ) % m;
}
function lerp( x, y, t ) {
	return ( 1 - t ) * x + t * y;
}
function damp( x, y, lambda, dt ) {
	return lerp( x, y, 1 - Math.exp( - lambda * dt ) );
}
function pingpong( x, length = 1 ) {
	// https://www.desmos.com/calculator/vcsjnyz7x4
	return length - Math.abs( euclideanModulo( x, length * 2 ) - length );
}
function smoothstep( x, min, max ) {
	if ( x <= min ) return 0;
	if ( x >= max ) return 1;
	x = ( x - min ) / ( max - min );
	return x * x * ( 3 - 2 * x );
}
export { clamp, euclideanModulo, lerp, damp, pingpong, smoothstep };
