// Called once in a function of another module, but its module reads a global (`e`) that a
// binding there could capture: keeps its name.
export function readsGlobal(x) {
  return x + ' kept:global ' + typeof e;
}
