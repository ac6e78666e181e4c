#include "lib/conf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/afile.h"
#include "lib/strbuf.h"
#include "lib/xalloc.h"

static char *
trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* Split off the next whitespace-separated word; NULL at the end. */
static char *
word(char **s)
{
	char *w;

	*s = trim(*s);
	if (!**s)
		return NULL;
	w = *s;
	while (**s && !isspace((unsigned char)**s))
		(*s)++;
	if (**s)
		*(*s)++ = '\0';
	return w;
}

static bool
valid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-_.", *s))
			return false;
	return true;
}

static enum status
parse_setting(struct conf *c, char *key, char *value, const char *where)
{
	char *end;

	if (!strcmp(key, "user-agent")) {
		/* it would read back as a comment */
		if (*value == '#')
			return err_set(ST_CONFIG,
			               "%s: user-agent cannot start "
			               "with '#'",
			               where);
		free(c->user_agent);
		c->user_agent = xstrdup(value);
		return ST_OK;
	}
	if (!strcmp(key, "deadline")) {
		errno = 0;
		c->deadline_s = strtol(value, &end, 10);
		if (errno || *end || c->deadline_s <= 0)
			return err_set(ST_CONFIG,
			               "%s: deadline '%s' is not a "
			               "number of seconds",
			               where, value);
		return ST_OK;
	}
	return err_set(ST_CONFIG, "%s: unknown setting '%s'", where, key);
}

/* '#' starts a comment at the start of a line or after a blank, so a
 * URL's fragment survives. */
static void
strip_comment(char *line)
{
	for (char *p = line; *p; p++) {
		if (*p == '#' && (p == line || isspace((unsigned char)p[-1]))) {
			*p = '\0';
			return;
		}
	}
}

static enum status
parse_directive(struct conf *c, char *first, char *rest, const char *where)
{
	char *name = word(&rest), *url, *kind;

	if (!name || !valid_name(name))
		return err_set(ST_CONFIG,
		               "%s: expected '%s NAME …' with a name "
		               "of letters, digits, '-', '_' or '.'",
		               where, first);
	if (!strcmp(first, "disable")) {
		if (*trim(rest))
			return err_set(ST_CONFIG, "%s: too many words", where);
		conf_set_disabled(c, name, true);
		return ST_OK;
	}
	if (!(url = word(&rest)))
		return err_set(ST_CONFIG, "%s: source '%s' has no URL", where,
		               name);
	kind = word(&rest);
	if (*trim(rest))
		return err_set(ST_CONFIG, "%s: too many words", where);
	if (conf_source_find(c, name))
		return err_set(ST_CONFIG, "%s: source '%s' defined twice",
		               where, name);
	conf_source_add(c, name, url, kind);
	return ST_OK;
}

/* bind KEY ACTION: checked by the dashboard, which knows the names. */
static enum status
parse_bind(struct conf *c, char *rest, const char *where)
{
	char *key = word(&rest), *action = word(&rest);
	struct conf_bind *b;

	if (!key || !action)
		return err_set(ST_CONFIG, "%s: expected 'bind KEY ACTION'",
		               where);
	if (*trim(rest))
		return err_set(ST_CONFIG, "%s: too many words", where);
	c->binds = xreallocarray(c->binds, c->nbinds + 1, sizeof(*c->binds));
	b = &c->binds[c->nbinds++];
	b->key = xstrdup(key);
	b->action = xstrdup(action);
	b->where = xstrdup(where);
	return ST_OK;
}

static enum status
parse_line(struct conf *c, char *line, const char *where)
{
	char *rest, *first, *eq;

	strip_comment(line);
	line = trim(line);
	if (!*line)
		return ST_OK;
	rest = line;
	first = word(&rest);
	if (!strcmp(first, "source") || !strcmp(first, "disable"))
		return parse_directive(c, first, rest, where);
	if (!strcmp(first, "bind"))
		return parse_bind(c, rest, where);
	/* first may have swallowed "key=value"; split the whole line */
	if (rest > line && rest[-1] == '\0' && *rest)
		rest[-1] = ' ';
	if (!(eq = strchr(line, '=')))
		return err_set(ST_CONFIG, "%s: cannot read '%s'", where, line);
	*eq = '\0';
	return parse_setting(c, trim(line), trim(eq + 1), where);
}

enum status
conf_load(struct conf *c, const char *path)
{
	struct strbuf where = STRBUF_INIT;
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	enum status rc = ST_OK;
	FILE *fp;

	memset(c, 0, sizeof(*c));
	c->path = xstrdup(path);
	if (!(fp = fopen(path, "r")))
		return errno == ENOENT
		           ? ST_OK
		           : err_set(ST_CONFIG, "cannot read '%s': %s", path,
		                     strerror(errno));
	while (!rc && getline(&line, &cap, fp) > 0) {
		strbuf_reset(&where);
		strbuf_addf(&where, "%s:%zu", path, ++lineno);
		rc = parse_line(c, line, where.buf);
	}
	if (!rc && ferror(fp))
		rc = err_set(ST_CONFIG, "cannot read '%s': %s", path,
		             strerror(errno));
	free(line);
	fclose(fp);
	strbuf_release(&where);
	return rc;
}

void
conf_release(struct conf *c)
{
	for (size_t i = 0; i < c->nsources; i++) {
		free(c->sources[i].name);
		free(c->sources[i].url);
		free(c->sources[i].kind);
	}
	for (size_t i = 0; i < c->ndisabled; i++)
		free(c->disabled[i]);
	for (size_t i = 0; i < c->nbinds; i++) {
		free(c->binds[i].key);
		free(c->binds[i].action);
		free(c->binds[i].where);
	}
	free(c->binds);
	free(c->sources);
	free(c->disabled);
	free(c->user_agent);
	free(c->path);
	memset(c, 0, sizeof(*c));
}

static enum status
make_folder(const char *path)
{
	char *dir = xstrdup(path), *slash;
	enum status rc = ST_OK;

	if ((slash = strrchr(dir, '/')) && slash != dir) {
		*slash = '\0';
		for (char *p = dir + 1; *p && !rc; p++) {
			if (*p != '/')
				continue;
			*p = '\0';
			if (mkdir(dir, 0700) && errno != EEXIST)
				rc = err_set(ST_CANTCREAT,
				             "cannot create '%s': "
				             "%s",
				             dir, strerror(errno));
			*p = '/';
		}
		if (!rc && mkdir(dir, 0700) && errno != EEXIST)
			rc = err_set(ST_CANTCREAT, "cannot create '%s': %s",
			             dir, strerror(errno));
	}
	free(dir);
	return rc;
}

enum status
conf_save(const struct conf *c)
{
	struct afile af;
	enum status rc = make_folder(c->path);

	if (rc || (rc = afile_open(&af, c->path, AFILE_FORCE)))
		return rc;
	fchmod(fileno(af.fp), 0600);
	fputs("# oligo configuration (rewritten by 'oligo sources')\n", af.fp);
	if (c->user_agent)
		fprintf(af.fp, "user-agent = %s\n", c->user_agent);
	if (c->deadline_s)
		fprintf(af.fp, "deadline = %ld\n", c->deadline_s);
	for (size_t i = 0; i < c->nsources; i++)
		fprintf(af.fp, "source %s %s%s%s\n", c->sources[i].name,
		        c->sources[i].url, c->sources[i].kind ? " " : "",
		        c->sources[i].kind ? c->sources[i].kind : "");
	for (size_t i = 0; i < c->ndisabled; i++)
		fprintf(af.fp, "disable %s\n", c->disabled[i]);
	for (size_t i = 0; i < c->nbinds; i++)
		fprintf(af.fp, "bind %s %s\n", c->binds[i].key,
		        c->binds[i].action);
	return afile_commit(&af);
}

bool
conf_disabled(const struct conf *c, const char *name)
{
	for (size_t i = 0; i < c->ndisabled; i++)
		if (!strcmp(c->disabled[i], name))
			return true;
	return false;
}

void
conf_set_disabled(struct conf *c, const char *name, bool disabled)
{
	for (size_t i = 0; i < c->ndisabled; i++) {
		if (strcmp(c->disabled[i], name))
			continue;
		if (!disabled) {
			free(c->disabled[i]);
			c->disabled[i] = c->disabled[--c->ndisabled];
		}
		return;
	}
	if (!disabled)
		return;
	c->disabled =
	    xreallocarray(c->disabled, c->ndisabled + 1, sizeof(*c->disabled));
	c->disabled[c->ndisabled++] = xstrdup(name);
}

struct conf_source *
conf_source_find(struct conf *c, const char *name)
{
	for (size_t i = 0; i < c->nsources; i++)
		if (!strcmp(c->sources[i].name, name))
			return &c->sources[i];
	return NULL;
}

void
conf_source_add(struct conf *c, const char *name, const char *url,
                const char *kind)
{
	struct conf_source *s;

	c->sources =
	    xreallocarray(c->sources, c->nsources + 1, sizeof(*c->sources));
	s = &c->sources[c->nsources++];
	s->name = xstrdup(name);
	s->url = xstrdup(url);
	s->kind = kind ? xstrdup(kind) : NULL;
}

bool
conf_source_remove(struct conf *c, const char *name)
{
	struct conf_source *s = conf_source_find(c, name);

	if (!s)
		return false;
	free(s->name);
	free(s->url);
	free(s->kind);
	*s = c->sources[--c->nsources];
	return true;
}
