/** `npm run e2e:queue`: the package in n8n's queue mode (Redis, PostgreSQL, a main and two workers). */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
	...base,
	testMatch: ['<rootDir>/test/queue/**/*.queue.test.cts'],
	testTimeout: 900000,
	maxWorkers: 1,
};
