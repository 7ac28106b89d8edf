//- main.js
import { addToQueue, getQueueItem } from './mainQueue';
import getLengthOfOtherQueue from './getLengthOfOtherQueue';

addToQueue( 42 );

assert.equal( getQueueItem( 0 ), 42 );
assert.equal( getLengthOfOtherQueue(), 1000 );
//- getLengthOfOtherQueue.js
export default function getLengthOfOtherQueue () {
	return queue.length;
}

var queue = new Array( 1000 );
//- mainQueue.js
var queue = [];

export function addToQueue ( x ) {
	queue.push( x );
}

export function getQueueItem ( i ) {
	return queue[i];
}
