export function total(...numbers) {
  let sum = 0
  outer: for (const n of numbers) {
    inner: for (;;) {
      if (n > 2) continue outer
      sum += n
      break inner
    }
  }
  return sum
}

// Labels are renamed by depth: one reused inside a nested function or a static block is
// another label, and a labeled block is left with `break`.
export function labels() {
  const out = [];
  outer: for (let i = 0; i < 3; i++) {
    const arrow = () => {
      outer: for (;;) {
        break outer;
      }
      return 'arrow';
    };
    middle: {
      if (i === 1) break middle;
      out.push(arrow());
    }
    for (let j = 0; j < 3; j++) {
      if (j === 1) continue outer;
      out.push(i + j);
    }
  }
  class Block {
    static {
      outer: {
        out.push('static');
        break outer;
      }
    }
  }
  return out.concat(typeof Block);
}

export class Counter {
  count = 0;
  static instances = 0;
  get value() { return this.count }
  set value(v) { this.count = v }
  next() { this.value = this.value + 1; return this }
}

export class Point {
  #hidden = 'h';
  static origin = new Point(0, 0);
  constructor(x, y) { this.x = x; this.y = y }
  get length() { return Math.hypot(this.x, this.y) }
  hasHidden() { return #hidden in this }
}

export function jump() {
  let steps = 0
  do steps++; while (steps < 3)
  if (steps) return steps
  else return -1
}

export const escapes = '\u00e9\u{1F600}\n\t"\'' + 'caf\u00e9'.normalize('NFD').length
export const closeScript = '</script><!-- -->' + `</${'script'}>`

// A top-level constant that code assigns to stays a constant (the assignment throws); the
// others may become `let`.
export const frozen = 'frozen'
export function reassignFrozen() {
  try { frozen = 'thawed' } catch (error) { return `${error.constructor.name} ${frozen}` }
}
