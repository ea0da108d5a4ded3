import globals from 'globals';
import { config } from '@runview/config/eslint';

export default [
  ...config({ tsconfigRootDir: import.meta.dirname, browser: true }),
  // The tests, the Vite config and the scripts run in Node, not in the page.
  {
    files: ['test/**/*.ts', 'scripts/**/*.{js,mjs}', '*.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
];
