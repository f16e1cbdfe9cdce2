/**
 * What `n8n execute --rawOutput` prints on n8n 2.8.4 (shapes captured from real runs), and how the
 * harness reads it. Fast: no n8n is started here.
 */
import { parseExecuteOutput } from '../../tools/n8n/instance.cjs';

const run = (status: string, extra: Record<string, unknown> = {}) =>
	JSON.stringify(
		{
			data: {
				version: 1,
				resultData: {
					runData: {
						Start: [{ data: { main: [[{ json: {}, pairedItem: { item: 0 } }]] } }],
						...extra,
					},
					lastNodeExecuted: 'Start',
					...(status === 'error'
						? { error: { message: 'boom {curly} } [line 1]', node: { name: 'Code' } } }
						: {}),
				},
			},
			mode: 'cli',
			status,
			finished: status === 'success',
		},
		null,
		2,
	);

const preamble = [
	'n8n Task Broker ready on 127.0.0.1, port 5699',
	'Failed to start Python task runner in internal mode. because its virtual environment is missing from this system.',
	'Registered runner "JS Task Runner" (FDTeaN_cbPahH2MykLcby) ',
].join('\n');

describe('reading `n8n execute --rawOutput`', () => {
	it('success: the execution follows the task-runner lines', () => {
		const parsed = parseExecuteOutput(`${preamble}\n${run('success')}\n`);
		expect(parsed?.status).toBe('success');
		expect(parsed?.data?.resultData?.runData?.Start).toHaveLength(1);
	});

	it('failure: the execution sits between "Execution error:" and an error message with braces and a stack', () => {
		const output = [
			preamble,
			'Execution was NOT successful. See log message for details.',
			'Execution error:',
			'====================================',
			run('error', { Code: [{ error: { message: 'a } in a string { and "quotes \\" }' } }] }),
			'Error executing workflow. See log messages for details.',
			'',
			'Execution error:',
			'====================================',
			'boom {curly} } [line 1]',
			'Error: boom {curly} }',
			'    at VmCodeWrapper (evalmachine.<anonymous>:1:596)',
			'{ not json }',
		].join('\n');
		const parsed = parseExecuteOutput(output);
		expect(parsed?.status).toBe('error');
		expect(parsed?.data?.resultData?.error?.message).toBe('boom {curly} } [line 1]');
		expect(Object.keys(parsed?.data?.resultData?.runData ?? {})).toEqual(['Start', 'Code']);
	});

	it('nothing printed (unknown workflow id, crash): undefined', () => {
		expect(parseExecuteOutput('The workflow with the id "nope" does not exist.\n')).toBeUndefined();
		expect(parseExecuteOutput('{ "truncated": ')).toBeUndefined();
	});
});
