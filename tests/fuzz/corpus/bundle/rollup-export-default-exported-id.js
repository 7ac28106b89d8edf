//- main.js
export default class Image {
	constructor() {
		this.ok = true;
	}
}

export { Image }
