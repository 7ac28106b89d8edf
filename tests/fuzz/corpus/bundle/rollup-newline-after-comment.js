//- main.js
// this comment should not affect the line below
export default function () {
	return 42;
}
