function build(options) {
  return (index) => options.values.wide[index];
}
// An object of literals read once, as an argument, in its own module: written there.
const eraValues = { narrow: ['B', 'A'], wide: ['before', 'after'] };
export const localize = { era: build({ values: eraValues, width: 'wide' }) };
