//- main.js
export const test = async () => {
	const n = await import('./dep.js');
	assert.equal(n.test(), 'OK');
};
//- dep.js
export function test() {
  return this.value;
}

export const value = 'OK';
