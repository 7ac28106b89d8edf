import { render } from './lib/ui.js';
import { visits } from './lib/state.js';

render('Home', 'the home page');

// Routes load on demand, each from its own chunk, and once: a module is instantiated once
// per page however often it is imported.
document.getElementById('open-settings').addEventListener('click', async () => {
  const { showSettings } = await import('./routes/settings.js');
  showSettings(visits.length);
});
document.getElementById('open-help').addEventListener('click', async () => {
  const help = await import('./routes/help.js');
  help.default();
});
