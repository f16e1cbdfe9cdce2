/** Test-only credential values: a made-up key that looks nothing like a real one. */
export const TEST_API_KEY = 'test-uniall-key';

export const credentialsFor = (baseUrl: string, apiKey = TEST_API_KEY) => ({ apiKey, baseUrl });
