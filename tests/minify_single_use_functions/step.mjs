// Called once in a function of another module: keeps its name (a binding of that module's
// function could capture what it refers to).
export function step(x) {
  return x + ' kept:nested elsewhere';
}
