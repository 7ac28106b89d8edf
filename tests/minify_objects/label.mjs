export const label = ['tools'];
