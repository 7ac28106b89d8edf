//- main.js
export const logical = () => true && { x: 42, y: 43, };
export const conditional = () => true ? { x: 42, y: 43, } : null;
