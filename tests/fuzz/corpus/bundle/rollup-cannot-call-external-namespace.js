//- main.js
import * as foo from 'fs';

try {
	foo();
} catch (e) {}

try {
	foo``;
} catch (e) {}
