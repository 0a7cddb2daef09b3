export { startStandalone, DEMO_MODEL, type RunningStandalone } from './start-standalone.js';
