import { render } from '../lib/ui.js';

export default function showHelp() {
  render('Help', 'press the buttons');
}
