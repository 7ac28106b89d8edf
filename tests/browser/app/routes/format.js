// Only the settings route uses it: it stays in that route's chunk.
export function format(text) {
  return `[${text}]`;
}
