// Runs `fn(server)` with a fresh bench server, and always stops it.
import { startServer } from './server-process.mjs';

export async function withServer(options, fn) {
  const server = await startServer(options);
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}
