// The import boundaries of eslint.boundaries.js fire on a crossing and stay quiet on an allowed import:
// virtual files linted through ESLint's Node API with the project's own config.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Only the boundary rules, and no type information: the linted files do not exist on disk.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports' || ruleId === 'no-restricted-syntax',
});

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('import boundaries (README, Architecture)', () => {
  it('core/ importing an adapter fails, statically or through import()', async () => {
    const found = await problems('core/train/probe.ts', "import { defaultRunsDir } from '../../cli/runsDir.js';\nexport const dir = defaultRunsDir;\n");
    expect(found).toEqual([
      "no-restricted-imports: '../../cli/runsDir.js' import is restricted from being used by a pattern. core/ must not import cli/, serve/, electron/ or renderer/: the engine stays usable without any adapter (README, Architecture).",
    ]);
    expect(await problems('core/service/engine/probe.ts', "export const s = () => import('../../../serve/index.js');\n"))
      .toEqual(['no-restricted-syntax: core/ must not import cli/, serve/, electron/ or renderer/: the engine stays usable without any adapter (README, Architecture).']);
    expect(await problems('core/report/probe.ts', "import 'electron';\nimport { Chart } from 'chart.js';\nexport { Chart };\n")).toHaveLength(2);
  });

  it('core/ importing core/ and Node passes', async () => {
    expect(await problems('core/train/probe.ts', "import { tf } from '../tf.js';\nimport * as fs from 'node:fs';\nexport { tf, fs };\n")).toEqual([]);
  });

  it('adapters do not import each other; the CLI reaches serve mode only through serve/index.js', async () => {
    expect(await problems('cli/commands/probe.ts', "export { x } from '../../electron/security.js';\n")).toHaveLength(1);
    expect(await problems('serve/probe.ts', "import { main } from '../cli/main.js';\nexport { main };\n")).toHaveLength(1);
    expect(await problems('electron/probe.ts', "import { startServer } from '../serve/index.js';\nexport { startServer };\n")).toHaveLength(1);
    expect(await problems('cli/commands/probe.ts', "import { startServer } from '../../serve/index.js';\nexport { startServer };\n")).toEqual([]);
    expect(await problems('cli/commands/probe.ts', "import { x } from '../../serve/http.js';\nexport { x };\n")).toHaveLength(1);
  });

  it('the crossings that moved stay refused (defaultRunsDir now comes from core/runs)', async () => {
    const code = "import { defaultRunsDir } from '../cli/runsDir.js';\nexport const d = defaultRunsDir;\n";
    expect(await problems('electron/main.ts', code)).toHaveLength(1);
    expect(await problems('electron/main.ts', "import { defaultRunsDir } from '../core/runs/defaultRunsDir.js';\nexport const d = defaultRunsDir;\n")).toEqual([]);
  });

  it('the renderer imports the pure core modules and electron/ types only', async () => {
    expect(await problems('renderer/src/lib/probe.ts', "import type { RunConfig } from '../../../core/config/types.js';\nimport { describeModel } from '../../../core/config/describe.js';\nimport type { AtStudioDialogs } from '../../../electron/bridge.js';\nexport type { RunConfig, AtStudioDialogs };\nexport { describeModel };\n")).toEqual([]);
    expect(await problems('renderer/src/lib/probe.ts', "import { tf } from '../../../core/tf.js';\nexport { tf };\n")).toHaveLength(1);
    expect(await problems('renderer/src/lib/probe.ts', "import { parseBridgeError } from '../../../electron/bridge.js';\nexport { parseBridgeError };\n")).toHaveLength(1);
    expect(await problems('renderer/src/screens/Probe.svelte', "<script lang=\"ts\">\n  import { runTraining } from '../../../core/train/index.js';\n  void runTraining;\n</script>\n")).toHaveLength(1);
  });
});
