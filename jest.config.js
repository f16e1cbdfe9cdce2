/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: [
		'<rootDir>/test/unit/**/*.test.ts',
		'<rootDir>/test/workflow/**/*.test.ts',
		'<rootDir>/test/package/**/*.test.cts',
		'<rootDir>/test/tools/**/*.test.ts',
	],
	moduleFileExtensions: ['ts', 'cts', 'js', 'cjs', 'json'],
	transform: { '^.+\\.c?ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	resolver: '<rootDir>/test/jest-resolver.js',
	testTimeout: 30000,
	// test/workflow/timeouts.test.ts runs its six Timeout-long tests at once.
	maxConcurrency: 8,
};
