import { afterAll } from 'vitest';
import { removeFixtureDirs } from './fixture-dir.js';

// Every test file's fixture folders go when the file is done: a test run leaves nothing in the temporary folder.
afterAll(removeFixtureDirs);
