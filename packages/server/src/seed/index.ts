/** Demo data and synthetic data sets for the server. */
export { seedDemo, type SeedDemoOptions } from './demo.js';
export { DEMO, demoId } from './ids.js';
export { generateSynthetic, type SyntheticDataSet, type SyntheticOptions } from './synthetic.js';
