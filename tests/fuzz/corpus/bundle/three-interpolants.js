//- entry.js
export * from './math/interpolants/LinearInterpolant.js';
export * from './math/interpolants/DiscreteInterpolant.js';
export * from './math/interpolants/CubicInterpolant.js';
import { LinearInterpolant } from './math/interpolants/LinearInterpolant.js';
console.log(new LinearInterpolant([0, 1], [0, 10], 1).evaluate(0.5));
//- math/Interpolant.js

class Interpolant {
	constructor( parameterPositions, sampleValues, sampleSize, resultBuffer ) {
		this.parameterPositions = parameterPositions;
		this._cachedIndex = 0;
		this.resultBuffer = resultBuffer !== undefined ? resultBuffer : new sampleValues.constructor( sampleSize );
		this.sampleValues = sampleValues;
		this.valueSize = sampleSize;
		this.settings = null;
		this.DefaultSettings_ = {};
	}
	evaluate( t ) {
		const pp = this.parameterPositions;
		let i1 = this._cachedIndex,
			t1 = pp[ i1 ],
			t0 = pp[ i1 - 1 ];
		validate_interval: {
			seek: {
				let right;
				linear_scan: {
					//- See http://jsperf.com/comparison-to-undefined/3
					//- slower code:
					//-
					//- 				if ( t >= t1 || t1 === undefined ) {
					forward_scan: if ( ! ( t < t1 ) ) {
						for ( let giveUpAt = i1 + 2; ; ) {
							if ( t1 === undefined ) {
								if ( t < t0 ) break forward_scan;
								// after end
								i1 = pp.length;
								this._cachedIndex = i1;
								return this.copySampleValue_( i1 - 1 );
							}
							if ( i1 === giveUpAt ) break; // this loop
							t0 = t1;
							t1 = pp[ ++ i1 ];
							if ( t < t1 ) {
								// we have arrived at the sought interval
								break seek;
							}
						}
						// prepare binary search on the right side of the index
						right = pp.length;
						break linear_scan;
					}
					//- slower code:
					//-					if ( t < t0 || t0 === undefined ) {
					if ( ! ( t >= t0 ) ) {
						// looping?
						const t1global = pp[ 1 ];
						if ( t < t1global ) {
							i1 = 2; // + 1, using the scan for the details
							t0 = t1global;
						}
						// linear reverse scan
						for ( let giveUpAt = i1 - 2; ; ) {
							if ( t0 === undefined ) {
								// before start
								this._cachedIndex = 0;
								return this.copySampleValue_( 0 );
							}
							if ( i1 === giveUpAt ) break; // this loop
							t1 = t0;
							t0 = pp[ -- i1 - 1 ];
							if ( t >= t0 ) {
								// we have arrived at the sought interval
								break seek;
							}
						}
						// prepare binary search on the left side of the index
						right = i1;
						i1 = 0;
						break linear_scan;
					}
					// the interval is valid
					break validate_interval;
				} // linear scan
				// binary search
				while ( i1 < right ) {
					const mid = ( i1 + right ) >>> 1;
					if ( t < pp[ mid ] ) {
						right = mid;
					} else {
						i1 = mid + 1;
					}
				}
				t1 = pp[ i1 ];
				t0 = pp[ i1 - 1 ];
				// check boundary cases, again
				if ( t0 === undefined ) {
					this._cachedIndex = 0;
					return this.copySampleValue_( 0 );
				}
				if ( t1 === undefined ) {
					i1 = pp.length;
					this._cachedIndex = i1;
					return this.copySampleValue_( i1 - 1 );
				}
			} // seek
			this._cachedIndex = i1;
			this.intervalChanged_( i1, t0, t1 );
		} // validate_interval
		return this.interpolate_( i1, t0, t, t1 );
	}
	getSettings_() {
		return this.settings || this.DefaultSettings_;
	}
	copySampleValue_( index ) {
		// copies a sample value to the result buffer
		const result = this.resultBuffer,
			values = this.sampleValues,
			stride = this.valueSize,
			offset = index * stride;
		for ( let i = 0; i !== stride; ++ i ) {
			result[ i ] = values[ offset + i ];
		}
		return result;
	}
	interpolate_(  ) {
		throw new Error( 'THREE.Interpolant: Call to abstract method.' );
		// implementations shall return this.resultBuffer
	}
	intervalChanged_(  ) {
		// empty
	}
}
export { Interpolant };
//- math/interpolants/LinearInterpolant.js
import { Interpolant } from '../Interpolant.js';
class LinearInterpolant extends Interpolant {
	constructor( parameterPositions, sampleValues, sampleSize, resultBuffer ) {
		super( parameterPositions, sampleValues, sampleSize, resultBuffer );
	}
	interpolate_( i1, t0, t, t1 ) {
		const result = this.resultBuffer,
			values = this.sampleValues,
			stride = this.valueSize,
			offset1 = i1 * stride,
			offset0 = offset1 - stride,
			weight1 = ( t - t0 ) / ( t1 - t0 ),
			weight0 = 1 - weight1;
		for ( let i = 0; i !== stride; ++ i ) {
			result[ i ] =
					values[ offset0 + i ] * weight0 +
					values[ offset1 + i ] * weight1;
		}
		return result;
	}
}
export { LinearInterpolant };
//- math/interpolants/DiscreteInterpolant.js
import { Interpolant } from '../Interpolant.js';
class DiscreteInterpolant extends Interpolant {
	constructor( parameterPositions, sampleValues, sampleSize, resultBuffer ) {
		super( parameterPositions, sampleValues, sampleSize, resultBuffer );
	}
	interpolate_( i1  ) {
		return this.copySampleValue_( i1 - 1 );
	}
}
export { DiscreteInterpolant };
//- math/interpolants/CubicInterpolant.js
import { ZeroCurvatureEnding, WrapAroundEnding, ZeroSlopeEnding } from '../../constants.js';
import { Interpolant } from '../Interpolant.js';
class CubicInterpolant extends Interpolant {
	constructor( parameterPositions, sampleValues, sampleSize, resultBuffer ) {
		super( parameterPositions, sampleValues, sampleSize, resultBuffer );
		this._weightPrev = - 0;
		this._offsetPrev = - 0;
		this._weightNext = - 0;
		this._offsetNext = - 0;
		this.DefaultSettings_ = {
			endingStart: ZeroCurvatureEnding,
			endingEnd: ZeroCurvatureEnding
		};
	}
	intervalChanged_( i1, t0, t1 ) {
		const pp = this.parameterPositions;
		let iPrev = i1 - 2,
			iNext = i1 + 1,
			tPrev = pp[ iPrev ],
			tNext = pp[ iNext ];
		if ( tPrev === undefined ) {
			switch ( this.getSettings_().endingStart ) {
				case ZeroSlopeEnding:
					// f'(t0) = 0
					iPrev = i1;
					tPrev = 2 * t0 - t1;
					break;
				case WrapAroundEnding:
					// use the other end of the curve
					iPrev = pp.length - 2;
					tPrev = t0 + pp[ iPrev ] - pp[ iPrev + 1 ];
					break;
				default: // ZeroCurvatureEnding
					// f''(t0) = 0 a.k.a. Natural Spline
					iPrev = i1;
					tPrev = t1;
			}
		}
		if ( tNext === undefined ) {
			switch ( this.getSettings_().endingEnd ) {
				case ZeroSlopeEnding:
					// f'(tN) = 0
					iNext = i1;
					tNext = 2 * t1 - t0;
					break;
				case WrapAroundEnding:
					// use the other end of the curve
					iNext = 1;
					tNext = t1 + pp[ 1 ] - pp[ 0 ];
					break;
				default: // ZeroCurvatureEnding
					// f''(tN) = 0, a.k.a. Natural Spline
					iNext = i1 - 1;
					tNext = t0;
			}
		}
		const halfDt = ( t1 - t0 ) * 0.5,
			stride = this.valueSize;
		this._weightPrev = halfDt / ( t0 - tPrev );
		this._weightNext = halfDt / ( tNext - t1 );
		this._offsetPrev = iPrev * stride;
		this._offsetNext = iNext * stride;
	}
	interpolate_( i1, t0, t, t1 ) {
		const result = this.resultBuffer,
			values = this.sampleValues,
			stride = this.valueSize,
			o1 = i1 * stride,		o0 = o1 - stride,
			oP = this._offsetPrev, 	oN = this._offsetNext,
			wP = this._weightPrev,	wN = this._weightNext,
			p = ( t - t0 ) / ( t1 - t0 ),
			pp = p * p,
			ppp = pp * p;
		// evaluate polynomials
		const sP = - wP * ppp + 2 * wP * pp - wP * p;
		const s0 = ( 1 + wP ) * ppp + ( - 1.5 - 2 * wP ) * pp + ( - 0.5 + wP ) * p + 1;
		const s1 = ( - 1 - wN ) * ppp + ( 1.5 + wN ) * pp + 0.5 * p;
		const sN = wN * ppp - wN * pp;
		// combine data linearly
		for ( let i = 0; i !== stride; ++ i ) {
			result[ i ] =
					sP * values[ oP + i ] +
					s0 * values[ o0 + i ] +
					s1 * values[ o1 + i ] +
					sN * values[ oN + i ];
		}
		return result;
	}
}
export { CubicInterpolant };
//- constants.js
export const ZeroCurvatureEnding = 2400;
export const ZeroSlopeEnding = 2401;
export const WrapAroundEnding = 2402;
