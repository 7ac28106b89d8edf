//- main.js
import { zeroToFive, dirty } from './iterables';
import { iterate } from './loops';

assert.equal(dirty, undefined);
iterate(zeroToFive);
assert.equal(dirty, 5);
//- iterables.js
export let dirty;

export const zeroToFive = {
    [Symbol.iterator]() {
        return {
            current: 0,
            last: 5,
            next() {
                const ret = this.current < this.last
                    ? { done: false, value: this.current++ }
                    : { done: true };
                
                // assert later
                dirty = this.current;

                return ret;
            }
        };
    }
};
//- loops.js
export const awaitable = async (iterable) => {
	for await (const value of iterable) {
	}
}

// This is equivalent to the above 'awaitable' function.
export const equivalent = async (iterable) => {
	const iterator = iterable[Symbol.asyncIterator]()
  let { done } = await iterator.next()
  while (!done) {
    ({ done } = await iterator.next())
  }

}

export const iterate = iterable => {
	for (const value of iterable) {
	}
}
