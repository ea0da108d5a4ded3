import { config } from '@runview/config/eslint';

export default config({ tsconfigRootDir: import.meta.dirname });
