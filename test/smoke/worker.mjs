// A Cloudflare Worker that runs the client scenario: `scripts/test-runtimes.mjs` bundles it with
// the installed package (esbuild) and serves it with workerd and with miniflare. The host passes
// the mock's URL as `?mock=`; the worker answers with the facts as JSON. Nothing runs at module
// scope but the imports, as Workers require.
import { clientScenario } from './client-scenario.mjs';

export default {
  async fetch(request) {
    const mockUrl = new URL(request.url).searchParams.get('mock');
    if (mockUrl === null) return new Response('missing ?mock=', { status: 400 });
    const facts = await clientScenario(mockUrl);
    return Response.json({ ...facts, runtime: navigator.userAgent });
  },
};
