//- main.js
export const test = import('./dep.js').then(n => n.test());
//- dep.js
export function test() {
  return this.value;
}

export const value = 'OK';
