//- main.js
{
  {
    var foo = 'other';
  }
  let foo = 'test';
  console.log(foo);
}
