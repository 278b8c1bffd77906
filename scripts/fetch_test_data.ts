/** `node dist/scripts/fetch_test_data.js <dir> [set,set]`: fetches the tests' data sets into <dir> (see test_data.ts). */
import { fetchTestData, TEST_SETS, type TestSet } from './test_data.js';

const [dir, list] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: fetch_test_data.js <dir> [mnist,fashion-mnist,digits,cifar10-subset]\n');
  process.exit(2);
}
const sets = list ? (list.split(',') as TestSet[]) : [...TEST_SETS];
const unknown = sets.filter((s) => !(TEST_SETS as readonly string[]).includes(s));
if (unknown.length) {
  process.stderr.write(`unknown test data set ${unknown.join(', ')}; expected ${TEST_SETS.join(', ')}\n`);
  process.exit(2);
}
try {
  await fetchTestData(dir, sets);
} catch (e) {
  process.stderr.write(`convlab tests: could not fetch the test data into ${dir}: ${(e as Error).message}\nSet CONVLAB_DATA to a folder holding ${TEST_SETS.join(', ')} (see ../shared/data/README.md).\n`);
  process.exit(1);
}
