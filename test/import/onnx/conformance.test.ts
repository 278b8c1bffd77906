/**
 * ONNX's backend test cases (Debian's libonnx-testdata, installed by .ci/run) through convlab's
 * run path: every 2-D image case either passes (every output within atol 1e-4, rtol 1e-3 of
 * ONNX's expected output) or is refused with the one-line reason checked in beside this test.
 * A wrong number, a crash, a new refusal, a changed reason or a case that starts passing fails:
 * refresh the file with CONVLAB_WRITE_CONFORMANCE=1 after reading what changed (it never records
 * a wrong or crashing case).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../../helpers/paths.js';
import { imageCases, runCase, TESTDATA } from './conformance.js';

const EXPECTED = join(repoRoot(), 'test', 'import', 'onnx', 'conformance_expected.json');

describe('ONNX backend test cases (libonnx-testdata)', () => {
  it('every 2-D image case passes or is refused as recorded; none is wrong or crashes', async (t) => {
    assert.ok(existsSync(TESTDATA), `${TESTDATA} is missing: install Debian's libonnx-testdata (.ci/run does)`);
    const cases = imageCases();
    assert.ok(cases.length > 150, `only ${cases.length} 2-D image cases found under ${TESTDATA}`);
    const got: Record<string, string> = {};
    for (const c of cases) got[c.name] = await runCase(c);
    const bad = Object.entries(got).filter(([, v]) => v.startsWith('wrong') || v.startsWith('crash'));
    assert.deepEqual(bad, [], 'cases computing wrong numbers or crashing');
    if (process.env.CONVLAB_WRITE_CONFORMANCE) writeFileSync(EXPECTED, `${JSON.stringify(got, null, 1)}\n`);
    const expected = JSON.parse(readFileSync(EXPECTED, 'utf8')) as Record<string, string>;
    const changed = Object.keys({ ...expected, ...got }).filter((k) => expected[k] !== got[k]).map((k) => `${k}: expected ${expected[k] ?? 'no case'}, got ${got[k] ?? 'no case'}`);
    assert.deepEqual(changed, [], 'outcomes that differ from conformance_expected.json');
    const pass = Object.values(got).filter((v) => v === 'pass').length;
    t.diagnostic(`conformance: ${pass} pass, ${cases.length - pass} refused, 0 wrong, 0 crashes of ${cases.length} 2-D image cases`);
  });

  it('a case whose expected output is off by more than the tolerance is reported wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convlab-conformance-'));
    try {
      const from = join(TESTDATA, 'pytorch-converted', 'test_Conv2d');
      cpSync(from, dir, { recursive: true });
      const out = join(dir, 'test_data_set_0', 'output_0.pb');
      // ONNX's own helper rewrites the expected tensor with one value moved by 1e-3 (tolerance ≈ 1e-4 + 1e-3·|x|).
      execFileSync('/usr/bin/python3', ['-c', [
        'import sys, onnx', 'from onnx import numpy_helper', 't = onnx.TensorProto()', 't.ParseFromString(open(sys.argv[1], "rb").read())',
        'a = numpy_helper.to_array(t).copy()', 'a.flat[7] += 1e-3 + 2e-3 * abs(a.flat[7])', 'open(sys.argv[1], "wb").write(numpy_helper.from_array(a, t.name).SerializeToString())',
      ].join('\n'), out]);
      assert.match(await runCase({ name: 'copy', dir }), /^wrong: test_data_set_0 output 0 differs by 0\.00/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
