// Code runs before `LATE` is set, and reads it as `undefined`.
export const before = read();

var LATE = 5;

export function read() {
  return LATE;
}
