#include "ingest/worker.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db/db.h"
#include "lib/xalloc.h"

#define DOC_CPU_S 60
#define CHILD_MEM (1024ul << 20)

struct worker {
	const char *db_path;
	const struct store_input *docs;
	size_t n;
	pid_t pid;      /* 0: no child running */
	int cmd, res;   /* parent's ends: write indexes, read results */
	char buf[4096]; /* result bytes read but not yet consumed */
	size_t have;
};

static bool
read_full(int fd, void *p, size_t n)
{
	while (n) {
		ssize_t k = read(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		p = (char *)p + k;
		n -= (size_t)k;
	}
	return true;
}

/* Give the next document a fresh CPU allowance on top of what the
 * child has used so far. */
static void
limit_cpu(void)
{
	struct rusage ru;
	struct rlimit cpu;

	getrusage(RUSAGE_SELF, &ru);
	cpu.rlim_cur =
	    (rlim_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + DOC_CPU_S);
	cpu.rlim_max = cpu.rlim_cur + 1;
	setrlimit(RLIMIT_CPU, &cpu);
}

static void
reply(int fd, enum status rc, size_t added)
{
	struct strbuf sb = STRBUF_INIT;

	/* the status travels too: a full disk must not pass for bad data */
	if (rc)
		strbuf_addf(&sb, "%d %s", (int)rc, err_msg());
	else
		strbuf_addf(&sb, "0 ok %zu", added);
	for (char *p = sb.buf; *p; p++) /* one line per result */
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	strbuf_addch(&sb, '\n');
	if (write(fd, sb.buf, sb.len) < 0)
		_exit(1);
	strbuf_release(&sb);
}

static _Noreturn void
child_main(struct worker *w, int cmd, int res)
{
	struct db *db = NULL;
	enum status open_rc;
	uint32_t i;

#if !defined(__SANITIZE_ADDRESS__)
	{
		/* ASan reserves terabytes of address space up front */
		struct rlimit mem = {CHILD_MEM, CHILD_MEM};

		setrlimit(RLIMIT_AS, &mem);
	}
#endif
	open_rc = db_open(&db, w->db_path, DB_READWRITE);
	if (!open_rc)
		open_rc = db_relax_sync(db);
	while (read_full(cmd, &i, sizeof(i))) {
		size_t added = 0;
		enum status rc = open_rc;

		limit_cpu();
		if (!rc && i < w->n)
			rc = store_document(db, &w->docs[i], &added);
		reply(res, rc, added);
	}
	db_close(db);
	_exit(0);
}

struct worker *
worker_new(const char *db_path, const struct store_input *docs, size_t n)
{
	struct worker *w = xcalloc(1, sizeof(*w));

	w->db_path = db_path;
	w->docs = docs;
	w->n = n;
	w->cmd = w->res = -1;
	return w;
}

static enum status
start(struct worker *w)
{
	int cmd[2], res[2];

	if (pipe(cmd))
		return err_set(ST_IOERR, "cannot create a pipe: %s",
		               strerror(errno));
	if (pipe(res)) {
		close(cmd[0]);
		close(cmd[1]);
		return err_set(ST_IOERR, "cannot create a pipe: %s",
		               strerror(errno));
	}
	fflush(NULL);
	if ((w->pid = fork()) < 0) {
		w->pid = 0;
		close(cmd[0]), close(cmd[1]), close(res[0]), close(res[1]);
		return err_set(ST_IOERR, "cannot fork: %s", strerror(errno));
	}
	if (w->pid == 0) {
		close(cmd[1]);
		close(res[0]);
		child_main(w, cmd[0], res[1]);
	}
	close(cmd[0]);
	close(res[1]);
	w->cmd = cmd[1];
	w->res = res[0];
	w->have = 0;
	return ST_OK;
}

/* The child is gone: collect it and say how it ended. */
static void
reap(struct worker *w, struct strbuf *msg)
{
	int status = 0;

	close(w->cmd);
	close(w->res);
	w->cmd = w->res = -1;
	while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
		;
	w->pid = 0;
	strbuf_reset(msg);
	if (WIFSIGNALED(status))
		strbuf_addf(msg, "parser stopped by signal %d%s",
		            WTERMSIG(status),
		            WTERMSIG(status) == SIGXCPU ? " (CPU limit)" : "");
	else
		strbuf_addf(msg, "parser exited with status %d",
		            WEXITSTATUS(status));
}

/* One result line into msg; false when the child died first. */
static bool
read_line(struct worker *w, struct strbuf *msg)
{
	for (;;) {
		char *nl = memchr(w->buf, '\n', w->have);
		ssize_t k;

		if (nl) {
			size_t len = (size_t)(nl - w->buf);

			strbuf_add(msg, w->buf, len);
			memmove(w->buf, nl + 1, w->have - len - 1);
			w->have -= len + 1;
			return true;
		}
		if (w->have == sizeof(w->buf)) { /* overlong: keep a prefix */
			strbuf_add(msg, w->buf, w->have);
			w->have = 0;
		}
		k = read(w->res, w->buf + w->have, sizeof(w->buf) - w->have);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		w->have += (size_t)k;
	}
}

static enum status
parse_reply(const struct strbuf *line, struct strbuf *msg)
{
	char *end;
	long st = strtol(line->buf, &end, 10);

	if (end == line->buf || *end != ' ' || st < 0 || st > ST_CONFIG) {
		strbuf_adds(msg, "parser sent a malformed reply");
		return ST_SOFTWARE;
	}
	strbuf_adds(msg, end + 1);
	return (enum status)st;
}

enum status
worker_run(struct worker *w, size_t i, struct strbuf *msg)
{
	uint32_t idx = (uint32_t)i;
	struct strbuf line = STRBUF_INIT;
	ssize_t k;
	enum status rc;

	strbuf_reset(msg);
	if (!w->pid && (rc = start(w)))
		return rc;
	do
		k = write(w->cmd, &idx, sizeof(idx));
	while (k < 0 && errno == EINTR);
	if (k != (ssize_t)sizeof(idx) || !read_line(w, &line)) {
		strbuf_release(&line);
		reap(w, msg);
		return ST_DATAERR;
	}
	/* "0 ok N" or "STATUS message" */
	rc = parse_reply(&line, msg);
	strbuf_release(&line);
	return rc;
}

void
worker_free(struct worker *w)
{
	struct strbuf ignored = STRBUF_INIT;

	if (!w)
		return;
	if (w->pid)
		reap(w, &ignored); /* closing the pipe ends its loop */
	strbuf_release(&ignored);
	free(w);
}
