#ifndef OLIGO_LIB_TESTHOOK_H
#define OLIGO_LIB_TESTHOOK_H

/*
 * Named pause points for the crash-consistency tests: when the
 * environment variable OLIGO_TEST_PAUSE equals point, print
 * "oligo: paused at POINT" on stderr and sleep (up to 60 s) so the test
 * can kill -9 the process at exactly that moment.  Costs one getenv when
 * unset.  Points: "before-commit" (a source parsed, nothing written),
 * "in-commit" (inside the source's transaction, items written, not
 * committed), "after-commit" (committed).
 */

void test_pause(const char *point);

/*
 * For the isolation tests: when OLIGO_TEST_CRASH equals name (a source
 * name), abort() — as a parser bug would — so the test can check that the
 * crash fails only that source.
 */
void test_crash(const char *name);

#endif
