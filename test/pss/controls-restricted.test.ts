import { describeControls } from './support.js';
import { TABLES } from './tables.js';

describeControls('restricted', TABLES);
