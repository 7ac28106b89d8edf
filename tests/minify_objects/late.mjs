// A `var` declared after the object holds `undefined` in it.
export default { early, late };
function early() {
  return 'early';
}
var late = ['late'];
export const seen = late;
