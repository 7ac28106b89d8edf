//- main.js
{
	assert.equal( 1 + 1, 2 );
}
