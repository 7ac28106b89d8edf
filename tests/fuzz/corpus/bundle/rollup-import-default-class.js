//- main.js
import Point from './point';

assert.strictEqual(new Point(1, 2).x, 1);
assert.strictEqual(new Point(1, 2).y, 2);
//- point.js
export default class Point {
  constructor(x, y) {
    this.x = x;
    this.y = y;
  }
}
