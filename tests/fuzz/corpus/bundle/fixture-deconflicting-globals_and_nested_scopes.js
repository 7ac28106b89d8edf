//- /main.js
import { Object as MyObject, format } from './lib.js';
function show(value) {
  // `format` would capture a renamed import called `format` here.
  const format = (x) => '<' + x + '>';
  return format(value) + MyObject.name;
}
console.log(show(format('x')), Object.keys({ a: 1 }).length);
//- /lib.js
const Object = { name: ' shadowing class' };
function format(x) { return x.toUpperCase(); }
export { Object, format };
