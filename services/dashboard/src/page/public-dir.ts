import { join } from 'node:path';

/** The dashboard's static page: `public/` beside `dist/` in the package folder. */
export const PUBLIC_DIR = join(__dirname, '..', '..', 'public');
