#include "lib/testhook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
test_pause(const char *point)
{
	const char *want = getenv("OLIGO_TEST_PAUSE");

	if (!want || strcmp(want, point))
		return;
	fprintf(stderr, "oligo: paused at %s\n", point);
	fflush(stderr);
	sleep(60);
}

void
test_crash(const char *name)
{
	const char *want = getenv("OLIGO_TEST_CRASH");

	if (want && !strcmp(want, name))
		abort();
}
