const table = { if: 'if', class: 'class', new: 'new', 'a-b': 1, 1e3: 'n' }
export default table
export const typeof_ = table.new
export { typeof_ as typeof }
export const klass = table['a-b'] + table[1000]
export { klass as class }
