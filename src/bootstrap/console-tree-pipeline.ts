// The console tree as a pipeline of the shutdown (src/exit/app-shutdown.ts): it comes after the traces
// and logs pipelines, so at exit they have handed it their last records when it prints.

import type { Pipeline } from '../exit/app-pipeline.js';
import type { ConsoleTree } from '../export/console/tree/tree-output.js';

export function consoleTreePipeline(tree: ConsoleTree): Pipeline {
  const flush = (): Promise<void> => {
    tree.flushNow();
    return Promise.resolve();
  };
  return {
    name: 'console tree',
    hasPending: () => tree.hasPending(),
    forceFlush: flush,
    shutdown: flush,
    exportAtExit: () => tree.flushNow(),
    // Nothing is dropped: past its limit the tree prints the oldest trace early (trace-assembler.ts).
    dropped: () => undefined,
  };
}
