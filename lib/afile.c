#include "lib/afile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/strbuf.h"
#include "lib/xalloc.h"

/*
 * Keep ".NAME.tmp.XXXXXX" within NAME_MAX (255) for long names; the
 * temporary name only has to be unique, not complete.
 */
#define TMP_BASE_MAX 200

static void
release(struct afile *af)
{
	free(af->path);
	free(af->tmp);
	af->path = NULL;
	af->tmp = NULL;
	af->fp = NULL;
}

/* Length of the folder part of path, including its last '/'. */
static size_t
dir_len(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? (size_t)(slash - path) + 1 : 0;
}

static enum status
cantcreat(const char *path, int e)
{
	return err_set(ST_CANTCREAT, "cannot create '%s': %s", path,
	               strerror(e));
}

enum status
afile_open(struct afile *af, const char *path, unsigned flags)
{
	struct strbuf tmp = STRBUF_INIT;
	size_t dlen = dir_len(path), blen = strlen(path + dlen);
	struct stat st;
	mode_t mode, mask;
	int fd, e;

	memset(af, 0, sizeof(*af));
	if (lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode))
			return err_set(ST_CANTCREAT,
			               "refusing to write through symlink '%s'",
			               path);
		if (S_ISDIR(st.st_mode))
			return cantcreat(path, EISDIR);
		if (!(flags & AFILE_FORCE))
			return err_set(ST_CANTCREAT,
			               "'%s' exists (use --force)", path);
		/* rename() would replace a device or FIFO node itself */
		if (!S_ISREG(st.st_mode))
			return err_set(
			    ST_CANTCREAT,
			    "refusing to replace '%s': not a regular "
			    "file",
			    path);
		mode = st.st_mode & 0777;
	} else if (errno != ENOENT) {
		return cantcreat(path, errno);
	} else if (!blen) {
		return cantcreat(path, EISDIR); /* "dir/" */
	} else {
		mask = umask(0); /* the only way to read it; no threads here */
		umask(mask);
		mode = 0644 & ~mask;
	}

	strbuf_add(&tmp, path, dlen);
	strbuf_addch(&tmp, '.');
	strbuf_add(&tmp, path + dlen,
	           blen < TMP_BASE_MAX ? blen : TMP_BASE_MAX);
	strbuf_adds(&tmp, ".tmp.XXXXXX");
	if ((fd = mkstemp(tmp.buf)) < 0) {
		e = errno;
		strbuf_release(&tmp);
		return cantcreat(path, e);
	}
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	/* mkstemp() makes 0600; an export is meant to be shared */
	if (fchmod(fd, mode) != 0 || !(af->fp = fdopen(fd, "w"))) {
		e = errno;
		close(fd);
		unlink(tmp.buf);
		strbuf_release(&tmp);
		return cantcreat(path, e);
	}
	af->tmp = strbuf_detach(&tmp, NULL);
	af->path = xstrdup(path);
	af->flags = flags;
	return ST_OK;
}

/*
 * Put the finished temporary file at the target.  Without AFILE_FORCE,
 * link() fails if a file appeared at the target since afile_open(), where
 * rename() would silently replace it; file systems without hard links
 * fall back to check-then-rename.
 */
static enum status
install(struct afile *af)
{
	struct stat st;

	if (af->flags & AFILE_FORCE) {
		if (rename(af->tmp, af->path) != 0)
			return cantcreat(af->path, errno);
		return ST_OK;
	}
	if (link(af->tmp, af->path) == 0) {
		unlink(af->tmp);
		return ST_OK;
	}
	if (errno == EEXIST)
		return err_set(ST_CANTCREAT, "'%s' exists (use --force)",
		               af->path);
	if (errno != EPERM && errno != EOPNOTSUPP && errno != ENOSYS &&
	    errno != EMLINK)
		return cantcreat(af->path, errno);
	if (lstat(af->path, &st) == 0)
		return err_set(ST_CANTCREAT, "'%s' exists (use --force)",
		               af->path);
	if (rename(af->tmp, af->path) != 0)
		return cantcreat(af->path, errno);
	return ST_OK;
}

/*
 * Make the rename itself durable.  A folder we may write but not read
 * cannot be opened for fsync; the file is in place by then, so that is
 * not worth failing over, and neither is EINVAL from file systems that
 * do not sync folders.
 */
static enum status
sync_dir(const char *path)
{
	size_t dlen = dir_len(path);
	char *dir = dlen ? xstrndup(path, dlen) : xstrdup(".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), e = 0;

	free(dir);
	if (fd < 0)
		return ST_OK;
	if (fsync(fd) != 0 && errno != EINVAL)
		e = errno;
	close(fd);
	if (e)
		return err_set(ST_IOERR, "cannot sync the folder of '%s': %s",
		               path, strerror(e));
	return ST_OK;
}

/*
 * An earlier buffered write failed, but stdio keeps no errno for it
 * (glibc drops the buffer, and fflush() then succeeds).  To name the
 * cause, write one more byte to the doomed file: a full disk or a file
 * size limit fails the same way again.
 */
static int
lost_errno(int fd)
{
	if (lseek(fd, 0, SEEK_END) >= 0 && write(fd, "", 1) < 0 && errno)
		return errno;
	return EIO;
}

enum status
afile_commit(struct afile *af)
{
	enum status st;
	int e = 0;

	if (!af->fp)
		return err_set(ST_SOFTWARE, "afile_commit without afile_open");
	errno = 0;
	if (fflush(af->fp) != 0)
		e = errno ? errno : EIO;
	else if (ferror(af->fp))
		e = lost_errno(fileno(af->fp));
	else if (fsync(fileno(af->fp)) != 0)
		e = errno;
	if (fclose(af->fp) != 0 && !e)
		e = errno;
	af->fp = NULL;
	if (e) {
		unlink(af->tmp);
		st = err_set(ST_IOERR, "cannot write '%s': %s", af->path,
		             strerror(e));
	} else if ((st = install(af))) {
		unlink(af->tmp);
	} else {
		st = sync_dir(af->path);
	}
	release(af);
	return st;
}

void
afile_abort(struct afile *af)
{
	if (af->fp)
		fclose(af->fp);
	if (af->tmp)
		unlink(af->tmp);
	release(af);
}
