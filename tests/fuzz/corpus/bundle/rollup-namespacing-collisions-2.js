//- main.js
import { Something } from './Something';
import { SomethingAgain } from './SomethingAgain';
import { Material } from './Material';
import { MaterialAgain } from './MaterialAgain';

var result = [Material(), MaterialAgain(), Something(), SomethingAgain()]
export default result;
//- Material.js
export function Material() {
  return 'Material';
}
//- MaterialAgain.js
export function MaterialAgain() {
  return 'MaterialAgain';
}
//- Something.js
import * as Material from './Material';

export function Something() {
	assert.strictEqual(Material.Material(), 'Material');
	return 'Something';
}
//- SomethingAgain.js
import * as Material from './MaterialAgain';

export function SomethingAgain() {
	assert.strictEqual(Material.MaterialAgain(), 'MaterialAgain');
	return 'SomethingAgain';
}
