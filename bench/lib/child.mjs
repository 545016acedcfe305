// Runs a bench script in a child process and resolves with the one message it sends back; rejects
// if it exits first. Used where a scenario must not share the parent's heap or globals.
import { fork } from 'node:child_process';
import { once } from 'node:events';

export async function runChild(script, argument, { execArgv = [], label = script } = {}) {
  const child = fork(script, [JSON.stringify(argument)], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exit = once(child, 'exit');
  const [message] = await Promise.race([
    once(child, 'message'),
    exit.then(([code]) => {
      throw new Error(`${label} exited with ${code}`);
    }),
  ]);
  await exit;
  return message;
}
