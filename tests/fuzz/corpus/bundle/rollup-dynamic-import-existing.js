//- main.js
export { x as y, promise } from './foo';
//- foo.js
export var x = 42;
export var promise = import('./main').then(m => {
  return m.y * 2;
});
