export function add(a, b) { return a + b; }
export const twice = (n) => { globalThis.twiceCalled = n * 2; };
export class Point {
  constructor(x, y) { this.x = x; this.y = y; }
  sum() { return this.x + this.y; }
}
