// Which names minifying may change. With `--keep-names`, a function or class name that can
// be observed (`.name`, `constructor.name`, a value passed around) stays, one that is only
// ever called does not; without it, all of them may.
const log = [];

class TopLevelClass {}

function outer(input) {
  function onlyEverCalledHelper(value) { return value * 2; }
  const onlyEverCalledArrow = (value) => value + 1;
  function nameIsRead() {}
  function passedAsValue() {}
  const arrowPassedAsValue = () => {};
  class ConstructedClass {}
  let assignedLater;
  assignedLater = function () {};
  const [destructuredDefault = () => {}] = [];
  function withDefault(parameterDefault = function () {}) { return parameterDefault.name; }
  const namedExpression = function innerName() { return innerName.name; };
  log.push(onlyEverCalledHelper(input), onlyEverCalledArrow(input));
  log.push(nameIsRead.name, [passedAsValue][0].name, [arrowPassedAsValue][0].name);
  log.push(new ConstructedClass().constructor.name, assignedLater.name);
  log.push(destructuredDefault.name, withDefault(), namedExpression(), namedExpression.name);
  log.push(new TopLevelClass().constructor.name);
  return log;
}

console.log(JSON.stringify(outer(20)));
