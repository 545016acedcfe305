// The module a Chromium page loads, through an import map (the ESM build as published) or as an
// esbuild bundle: it hands the client scenario to the test driver, which calls it with
// `page.evaluate`.
import { clientScenario, firstPageError, refusalWithoutOptIn } from './client-scenario.mjs';

globalThis.smoke = { clientScenario, firstPageError, refusalWithoutOptIn };
