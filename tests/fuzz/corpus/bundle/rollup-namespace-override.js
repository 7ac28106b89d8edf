//- main.js
import * as ns from './exportAll.js';
import { hiddenConflictByExport, hiddenConflictByReexport } from './exportAll.js';

assert.deepStrictEqual(ns, {
	__proto__: null,
	a: 'a',
	aExportOverride: 'override',
	aReexportOverride: 'b',
	b: 'b',
	hiddenConflictByExport: 'hidden',
	hiddenConflictByReexport: 'b',
});
//- a.js
export const a = 'a';
export const aExportOverride = 'a';
export const aReexportOverride = 'a';
export const hiddenConflictByExport = 'a';
export const hiddenConflictByReexport = 'a';
//- b.js
export const b = 'b';
export const hiddenConflictByExport = 'b';
export const hiddenConflictByReexport = 'b';
export * from './a.js';
//- exportAll.js
export * from './a.js';
export * from './b.js';
export const aExportOverride = 'override';
export const hiddenConflictByExport = 'hidden';
export { b as aReexportOverride, b as hiddenConflictByReexport } from './b.js';
