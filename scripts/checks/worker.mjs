// Generates the checks of the specs in `workerData` on a thread of its own, so that `generate`
// and `check:generated` run it beside the lint and the type generation instead of after them
// (scripts/pipeline.mjs, generateAll). Posts the files, or fails with the generator's error.
import { parentPort, workerData } from 'node:worker_threads';
import { generateChecksSources } from '../pipeline.mjs';

const { specs, root } = workerData;
const files = await Promise.all(specs.map((spec) => generateChecksSources(spec, root)));
parentPort.postMessage(files.flat());
