import kept from './kept.mjs';
kept.value = 10;
