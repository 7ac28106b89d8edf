import { formatDistance } from './distance.mjs';
import { localize } from './localize.mjs';
import { bump, pushed, both, exported, holder } from './kept.mjs';
import { log } from './log.mjs';
import { early } from './early.mjs';
import './noisy.mjs';
import { formatLong } from './format.mjs';
import { match } from './match.mjs';

export const locale = { code: 'xx', formatDistance: formatDistance, localize, early, formatLong, match };
export { exported };
console.log(JSON.stringify([
  locale.formatDistance('soon'),
  locale.localize.era(1),
  bump(),
  bump(),
  pushed[0] === pushed[1],
  both[0] === both[1],
  holder.exported === exported,
  locale.match.era('After'),
  locale.formatLong.date(),
  log,
]));
