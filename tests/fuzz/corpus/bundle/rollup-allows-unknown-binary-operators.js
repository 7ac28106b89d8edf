//- main.js
export default {
  minInt24x: - (2 ** 23)
};
