/*
 * libFuzzer harness for lib/conf: the user's config file is typed by hand
 * (and sometimes pasted from the web), so conf_load() gets arbitrary
 * bytes.  The input is written to a temporary file and loaded.
 *
 *   - On success the struct keeps conf.h's promises: source names of
 *     letters, digits, '-', '_', '.'; no name twice; URLs and kinds are
 *     single words; the deadline is 0 or positive; no name disabled twice.
 *   - On failure the message names PATH:LINE (or the path) and the
 *     status is ST_CONFIG; the struct is still safe to release.
 *   - Round trip: conf_save() of what was read, loaded again, gives the
 *     same settings (what 'oligo sources add' writes must read back).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/conf.h"
#include "lib/status.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64], in_path[96], out_path[96];

static void
check(int ok)
{
	if (!ok)
		abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "/tmp/fuzz_config.XXXXXX");
	check(mkdtemp(dir) != NULL);
	snprintf(in_path, sizeof(in_path), "%s/in", dir);
	snprintf(out_path, sizeof(out_path), "%s/sub/out", dir);
	return 0;
}

static int
word_ok(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (isspace((unsigned char)*s))
			return 0;
	return 1;
}

static int
same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static void
check_struct(const struct conf *c)
{
	for (size_t i = 0; i < c->nsources; i++) {
		const char *n = c->sources[i].name;

		check(word_ok(n) && word_ok(c->sources[i].url));
		check(!c->sources[i].kind || word_ok(c->sources[i].kind));
		for (; *n; n++)
			check(isalnum((unsigned char)*n) || strchr("-_.", *n));
		for (size_t j = 0; j < i; j++)
			check(strcmp(c->sources[i].name, c->sources[j].name));
	}
	for (size_t i = 0; i < c->ndisabled; i++) {
		check(word_ok(c->disabled[i]));
		for (size_t j = 0; j < i; j++)
			check(strcmp(c->disabled[i], c->disabled[j]));
	}
	check(c->deadline_s >= 0);
}

static void
check_equal(const struct conf *a, const struct conf *b)
{
	check(same(a->user_agent, b->user_agent));
	check(a->deadline_s == b->deadline_s);
	check(a->nsources == b->nsources && a->ndisabled == b->ndisabled);
	for (size_t i = 0; i < a->nsources; i++) {
		check(same(a->sources[i].name, b->sources[i].name));
		check(same(a->sources[i].url, b->sources[i].url));
		check(same(a->sources[i].kind, b->sources[i].kind));
	}
	for (size_t i = 0; i < a->ndisabled; i++)
		check(same(a->disabled[i], b->disabled[i]));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf c, d;
	enum status st;
	FILE *fp = fopen(in_path, "wb");

	check(fp != NULL);
	check(fwrite(data, 1, size, fp) == size);
	check(fclose(fp) == 0);

	st = conf_load(&c, in_path);
	if (st != ST_OK) {
		check(st == ST_CONFIG);
		check(strstr(err_msg(), in_path) != NULL);
		conf_release(&c);
		err_clear();
		return 0;
	}
	check(!strcmp(c.path, in_path));
	check_struct(&c);

#ifdef FUZZ_CONFIG_SKIP_KNOWN
	/* known bug (tests/fuzz/regressions/fuzz_config/ua-starts-with-hash):
	 * "user-agent =#x" is saved as "user-agent = #x", a comment */
	if (c.user_agent && c.user_agent[0] == '#') {
		conf_release(&c);
		return 0;
	}
#endif
	free(c.path);
	c.path = strdup(out_path);
	check(c.path != NULL);
	check(conf_save(&c) == ST_OK);
	check(conf_load(&d, out_path) == ST_OK);
	check_struct(&d);
	check_equal(&c, &d);
	conf_release(&d);
	conf_release(&c);
	unlink(out_path);
	err_clear();
	return 0;
}
