//- main.js
export default function () {
	return true && // comment
		1;
}
