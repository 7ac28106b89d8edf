//- main.js
export function funDecl(a = 'defaultValue') {
	return a;
}

export const funExp = function (a = 'defaultValue') {
	return a;
};

export const arrow = (a = 'defaultValue') => a;
