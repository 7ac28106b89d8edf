//- main.js
Object.prototype.customize_fn = () => {};
const c = {}.customize_fn();
