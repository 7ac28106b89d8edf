// A node resolve hook for running transpiled TypeScript unbundled: TypeScript sources import
// without extensions (`./a`), with `.ts` extensions, or with `.js` for a `.ts` file; after
// transpiling, these are `.js` files (see transpile.mjs). Tries the specifier as written,
// then with the transpiled extension, then `.js` and `/index.js` appended.
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (!specifier.startsWith('.') && !specifier.startsWith('/')) throw error;
    const candidates = [
      specifier.replace(/\.(ts|tsx|jsx)$/, '.js').replace(/\.mts$/, '.mjs').replace(/\.cts$/, '.cjs'),
      `${specifier}.js`,
      `${specifier}/index.js`,
    ];
    for (const candidate of candidates) {
      if (candidate === specifier) continue;
      try {
        return await next(candidate, context);
      } catch {}
    }
    throw error;
  }
}
