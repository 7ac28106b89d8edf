// Read by a function, which makes it again at every call if written there: kept.
const counter = { count: 0 };
export function bump() {
  counter.count += 1;
  return counter.count;
}
// Read once, but by a loop that would make it again at every turn: kept.
const shared = { tag: 'same object' };
export const pushed = [];
for (const turn of [1, 2]) pushed.push(turn === 1 ? shared : shared);
// Read twice: kept.
const twice = () => 'twice';
export const both = [twice, twice];
// Exported by the entry, which reads it by its name: kept.
export const exported = () => 'exported';
export const holder = { exported };
