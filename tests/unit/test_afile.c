/*
 * Unit tests for lib/afile: atomic replace, --force, symlinks, folders we
 * may not write, a full disk (RLIMIT_FSIZE in a child), races between
 * open and commit, and no temporary file left behind in any case
 * (reliability.md section 6, checklist C6).
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/afile.h"
#include "lib/csv.h"
#include "lib/strbuf.h"
#include "lib/xalloc.h"

static char dir[64];

static void
make_dir(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/test_afile.XXXXXX",
	         t && *t && strlen(t) < 30 ? t : "/tmp");
	cr_assert(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	umask(022);
}

static void
remove_dir(void)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "chmod -R u+rwx '%s' && rm -rf '%s'", dir, dir);
	if (system(sb.buf) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	strbuf_release(&sb);
}

TestSuite(afile, .init = make_dir, .fini = remove_dir);

/* A new string: dir/name. */
static char *
in_dir(const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s/%s", dir, name);
	return strbuf_detach(&sb, NULL);
}

static void
put_file(const char *path, const char *text, mode_t mode)
{
	FILE *fp = fopen(path, "w");

	cr_assert(fp, "%s: %s", path, strerror(errno));
	fputs(text, fp);
	cr_assert_eq(fclose(fp), 0);
	cr_assert_eq(chmod(path, mode), 0);
}

static void
expect_content(const char *path, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	FILE *fp = fopen(path, "r");

	cr_assert(fp, "%s: %s", path, strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), fp)))
		strbuf_add(&sb, buf, n);
	fclose(fp);
	cr_assert_str_eq(sb.buf, want);
	strbuf_release(&sb);
}

static void
expect_absent(const char *path)
{
	struct stat st;

	cr_assert(lstat(path, &st) != 0 && errno == ENOENT, "%s exists", path);
}

static mode_t
mode_of(const char *path)
{
	struct stat st;

	cr_assert_eq(lstat(path, &st), 0);
	return st.st_mode & 07777;
}

/* Temporary files afile may have made in dir: ".NAME.tmp.XXXXXX". */
static size_t
count_tmp(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	cr_assert(d);
	while ((e = readdir(d)))
		if (e->d_name[0] == '.' && strstr(e->d_name, ".tmp."))
			n++;
	closedir(d);
	return n;
}

#define NO_TMP() cr_assert_eq(count_tmp(), 0, "temporary file left behind")

/* The message is before + path + after. */
static void
expect_msg(const char *before, const char *path, const char *after)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s%s%s", before, path, after);
	cr_assert_str_eq(err_msg(), sb.buf);
	strbuf_release(&sb);
}

Test(afile, success)
{
	char *path = in_dir("out.csv");
	struct afile af;

	cr_assert_eq(afile_open(&af, path, 0), ST_OK, "%s", err_msg());
	cr_assert(af.fp);
	/* hidden, next to the target, while we write */
	cr_assert_eq(count_tmp(), 1);
	cr_assert(strncmp(af.tmp, dir, strlen(dir)) == 0);
	cr_assert(strstr(af.tmp, "/.out.csv.tmp."));
	expect_absent(path);
	fputs("a,b\r\n1,2\r\n", af.fp);
	cr_assert_eq(afile_commit(&af), ST_OK, "%s", err_msg());
	cr_assert_null(af.fp);
	afile_abort(&af); /* harmless after commit */
	expect_content(path, "a,b\r\n1,2\r\n");
	cr_assert_eq(mode_of(path), 0644);
	NO_TMP();
	free(path);
}

Test(afile, mode_respects_umask)
{
	char *path = in_dir("private.csv");
	struct afile af;

	umask(077);
	cr_assert_eq(afile_open(&af, path, 0), ST_OK);
	cr_assert_eq(afile_commit(&af), ST_OK);
	cr_assert_eq(mode_of(path), 0600);
	free(path);
}

Test(afile, relative_path_and_long_name)
{
	char name[251];
	struct afile af;

	cr_assert_eq(chdir(dir), 0);
	cr_assert_eq(afile_open(&af, "rel.csv", 0), ST_OK, "%s", err_msg());
	fputs("x", af.fp);
	cr_assert_eq(afile_commit(&af), ST_OK, "%s", err_msg());
	expect_content("rel.csv", "x");

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	cr_assert_eq(afile_open(&af, name, 0), ST_OK, "%s", err_msg());
	fputs("y", af.fp);
	cr_assert_eq(afile_commit(&af), ST_OK, "%s", err_msg());
	expect_content(name, "y");
	NO_TMP();
}

Test(afile, existing_without_force)
{
	char *path = in_dir("out.csv");
	struct afile af;

	put_file(path, "old", 0644);
	cr_assert_eq(afile_open(&af, path, 0), ST_CANTCREAT);
	expect_msg("'", path, "' exists (use --force)");
	cr_assert_null(af.fp);
	afile_abort(&af); /* harmless after a failed open */
	expect_content(path, "old");
	NO_TMP();
	free(path);
}

Test(afile, existing_with_force)
{
	char *path = in_dir("out.csv");
	struct afile af;

	put_file(path, "old content, longer than the new", 0640);
	cr_assert_eq(afile_open(&af, path, AFILE_FORCE), ST_OK, "%s",
	             err_msg());
	fputs("new", af.fp);
	/* until commit, readers see the old file */
	expect_content(path, "old content, longer than the new");
	cr_assert_eq(afile_commit(&af), ST_OK, "%s", err_msg());
	expect_content(path, "new");
	cr_assert_eq(mode_of(path), 0640, "the replaced file's mode is kept");
	NO_TMP();
	free(path);
}

Test(afile, symlink_refused)
{
	char *path = in_dir("link.csv"), *target = in_dir("target.txt");
	char *dangling = in_dir("dangling.csv");
	struct afile af;

	put_file(target, "precious", 0644);
	cr_assert_eq(symlink(target, path), 0);
	cr_assert_eq(afile_open(&af, path, 0), ST_CANTCREAT);
	expect_msg("refusing to write through symlink '", path, "'");
	cr_assert_eq(afile_open(&af, path, AFILE_FORCE), ST_CANTCREAT);
	expect_msg("refusing to write through symlink '", path, "'");
	expect_content(target, "precious");

	cr_assert_eq(symlink("nowhere", dangling), 0);
	cr_assert_eq(afile_open(&af, dangling, AFILE_FORCE), ST_CANTCREAT);
	expect_msg("refusing to write through symlink '", dangling, "'");
	free(target);
	target = in_dir("nowhere");
	expect_absent(target);
	NO_TMP();
	free(path);
	free(target);
	free(dangling);
}

Test(afile, symlink_planted_during_write_is_replaced_not_followed)
{
	char *path = in_dir("out.csv"), *target = in_dir("target.txt");
	struct afile af;

	put_file(target, "precious", 0644);
	cr_assert_eq(afile_open(&af, path, AFILE_FORCE), ST_OK);
	fputs("export", af.fp);
	cr_assert_eq(symlink(target, path), 0);
	cr_assert_eq(afile_commit(&af), ST_OK, "%s", err_msg());
	expect_content(target, "precious");
	cr_assert(!S_ISLNK(mode_of(path)));
	expect_content(path, "export");
	NO_TMP();
	free(path);
	free(target);
}

Test(afile, file_appearing_during_write_is_not_replaced)
{
	char *path = in_dir("out.csv");
	struct afile af;

	cr_assert_eq(afile_open(&af, path, 0), ST_OK);
	fputs("export", af.fp);
	put_file(path, "someone else's", 0644);
	cr_assert_eq(afile_commit(&af), ST_CANTCREAT);
	expect_msg("'", path, "' exists (use --force)");
	expect_content(path, "someone else's");
	NO_TMP();
	free(path);
}

Test(afile, not_a_regular_file)
{
	char *sub = in_dir("sub"), *fifo = in_dir("fifo"), *slash;
	struct afile af;
	struct strbuf sb = STRBUF_INIT;

	cr_assert_eq(mkdir(sub, 0755), 0);
	cr_assert_eq(afile_open(&af, sub, AFILE_FORCE), ST_CANTCREAT);
	strbuf_addf(&sb, "cannot create '%s': %s", sub, strerror(EISDIR));
	cr_assert_str_eq(err_msg(), sb.buf);

	cr_assert_eq(mkfifo(fifo, 0644), 0);
	cr_assert_eq(afile_open(&af, fifo, 0), ST_CANTCREAT);
	expect_msg("'", fifo, "' exists (use --force)");
	cr_assert_eq(afile_open(&af, fifo, AFILE_FORCE), ST_CANTCREAT);
	expect_msg("refusing to replace '", fifo, "': not a regular file");

	slash = in_dir("new/");
	cr_assert_eq(afile_open(&af, slash, 0), ST_CANTCREAT);
	cr_assert(strstr(err_msg(), "cannot create '") == err_msg());
	NO_TMP();
	strbuf_release(&sb);
	free(sub);
	free(fifo);
	free(slash);
}

Test(afile, missing_folder)
{
	char *path = in_dir("no/such/out.csv");
	struct afile af;
	struct strbuf sb = STRBUF_INIT;

	cr_assert_eq(afile_open(&af, path, 0), ST_CANTCREAT);
	strbuf_addf(&sb, "cannot create '%s': %s", path, strerror(ENOENT));
	cr_assert_str_eq(err_msg(), sb.buf);
	strbuf_release(&sb);
	free(path);
}

Test(afile, read_only_folder)
{
	char *path = in_dir("out.csv");
	struct afile af;
	struct strbuf sb = STRBUF_INIT;

	if (geteuid() == 0) {
		remove_dir(); /* a skipped test does not run .fini */
		cr_skip_test("root ignores folder permissions");
	}
	cr_assert_eq(chmod(dir, 0555), 0);
	cr_assert_eq(afile_open(&af, path, 0), ST_CANTCREAT);
	strbuf_addf(&sb, "cannot create '%s': %s", path, strerror(EACCES));
	cr_assert_str_eq(err_msg(), sb.buf);
	expect_absent(path);
	NO_TMP();
	chmod(dir, 0755);
	strbuf_release(&sb);
	free(path);
}

Test(afile, abort_leaves_nothing)
{
	char *path = in_dir("out.csv"), *old = in_dir("old.csv");
	struct afile af;

	cr_assert_eq(afile_open(&af, path, 0), ST_OK);
	fputs("partial", af.fp);
	afile_abort(&af);
	cr_assert_null(af.fp);
	afile_abort(&af); /* idempotent */
	expect_absent(path);

	put_file(old, "old", 0644);
	cr_assert_eq(afile_open(&af, old, AFILE_FORCE), ST_OK);
	fputs("partial", af.fp);
	afile_abort(&af);
	expect_content(old, "old");
	NO_TMP();
	free(path);
	free(old);
}

/* ------------------------------------------------------------------ */
/* a full disk, simulated with RLIMIT_FSIZE in a child */

enum how {
	BIG_FWRITE,   /* fails inside fwrite; stdio forgets errno */
	SMALL_FFLUSH, /* still buffered; fails in afile_commit's fflush */
	CSV_WRITER,   /* csv_writer_error() reports it first */
};

/*
 * In a child limited to files of 16 KiB, or 1000 bytes for SMALL_FFLUSH
 * (less than one stdio buffer), with SIGXFSZ ignored so that write()
 * fails with EFBIG, write size bytes to path; send back the status and
 * the message.
 */
static enum status
write_limited(const char *path, unsigned flags, enum how how, size_t size,
              struct strbuf *msg)
{
	int fds[2], wst;
	pid_t pid;
	char buf[1024];
	ssize_t n;
	unsigned char st;

	cr_assert_eq(pipe(fds), 0);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		rlim_t lim = how == SMALL_FFLUSH ? 1000 : 16384;
		struct rlimit rl = {lim, lim};
		struct afile af;
		struct csv_writer w;
		enum status s;
		size_t i;

		close(fds[0]);
		signal(SIGXFSZ, SIG_IGN);
		if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
			_exit(99);
		s = afile_open(&af, path, flags);
		if (!s && how == CSV_WRITER) {
			csv_writer_init(&w, af.fp, CSV_RFC4180, false);
			w.name = path;
			for (i = 0; i < size / 16; i++) {
				csv_put_text(&w, "0123456789abc");
				csv_end_record(&w);
			}
			if ((s = csv_writer_error(&w)))
				afile_abort(&af);
			else
				s = afile_commit(&af);
		} else if (!s) {
			for (i = 0; i < size; i++)
				putc('x', af.fp);
			s = afile_commit(&af);
		}
		st = (unsigned char)s;
		if (write(fds[1], &st, 1) != 1 ||
		    write(fds[1], err_msg(), strlen(err_msg())) < 0)
			_exit(98);
		_exit(0);
	}
	close(fds[1]);
	cr_assert_eq(read(fds[0], &st, 1), 1);
	while ((n = read(fds[0], buf, sizeof(buf))) > 0)
		strbuf_add(msg, buf, (size_t)n);
	close(fds[0]);
	cr_assert_eq(waitpid(pid, &wst, 0), pid);
	cr_assert(WIFEXITED(wst) && WEXITSTATUS(wst) == 0, "child failed");
	return (enum status)st;
}

static void
expect_full(const char *path, unsigned flags, enum how how, size_t size)
{
	struct strbuf msg = STRBUF_INIT, want = STRBUF_INIT;

	cr_assert_eq(write_limited(path, flags, how, size, &msg), ST_IOERR,
	             "%s", msg.buf);
	strbuf_addf(&want, "cannot write '%s': %s", path, strerror(EFBIG));
	cr_assert_str_eq(msg.buf, want.buf);
	NO_TMP();
	strbuf_release(&msg);
	strbuf_release(&want);
}

Test(afile, disk_full_leaves_no_target)
{
	char *path = in_dir("out.csv");

	expect_full(path, 0, BIG_FWRITE, 1 << 20);
	expect_absent(path);
	expect_full(path, 0, SMALL_FFLUSH, 3000);
	expect_absent(path);
	expect_full(path, 0, CSV_WRITER, 1 << 20);
	expect_absent(path);
	free(path);
}

Test(afile, disk_full_keeps_the_old_file)
{
	char *path = in_dir("out.csv");

	put_file(path, "old", 0644);
	expect_full(path, AFILE_FORCE, BIG_FWRITE, 1 << 20);
	expect_content(path, "old");
	expect_full(path, AFILE_FORCE, CSV_WRITER, 1 << 20);
	expect_content(path, "old");
	free(path);
}

Test(afile, within_the_limit_succeeds)
{
	char *path = in_dir("out.csv");
	struct strbuf msg = STRBUF_INIT;

	cr_assert_eq(write_limited(path, 0, BIG_FWRITE, 8000, &msg), ST_OK,
	             "%s", msg.buf);
	cr_assert_eq(mode_of(path), 0644);
	NO_TMP();
	strbuf_release(&msg);
	free(path);
}
