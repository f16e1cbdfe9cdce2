/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: [
		'<rootDir>/test/unit/**/*.test.ts',
		'<rootDir>/test/workflow/**/*.test.ts',
		'<rootDir>/test/package/**/*.test.cts',
		'<rootDir>/test/tools/**/*.test.ts',
		// .cts where a test needs Node's own modules (n8n-node lint refuses them in .ts files).
		'<rootDir>/test/tools/**/*.test.cts',
	],
	moduleFileExtensions: ['ts', 'cts', 'js', 'cjs', 'json'],
	transform: { '^.+\\.c?ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	resolver: '<rootDir>/test/jest-resolver.js',
	testTimeout: 30000,
	// test/workflow/timeouts.test.ts runs its six Timeout-long tests at once.
	maxConcurrency: 8,
};
