import { render } from './lib/ui.js';

render('About', 'the about page');
document.getElementById('open-help').addEventListener('click', async () => {
  const help = await import('./routes/help.js');
  help.default();
});
