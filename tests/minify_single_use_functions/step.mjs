// Called once in a function of another module: written there as well.
export function step(x) {
  return x + ' moved:nested elsewhere';
}

// ... here in a function whose sixty parameters take every one-letter name: the binding it
// refers to is named clear of them, or one would capture it.
const state = { calls: 0 };
export function touch(x) {
  state.calls += 1;
  return `moved:touch ${state.calls} ${x}`;
}
