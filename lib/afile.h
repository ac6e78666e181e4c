#ifndef OLIGO_LIB_AFILE_H
#define OLIGO_LIB_AFILE_H

/*
 * Write a file atomically: readers of PATH see either the old file or
 * the complete new one, never a partial write, and a failed write leaves
 * no temporary file behind.
 *
 * afile_open() writes into a hidden temporary ".NAME.tmp.XXXXXX" in the
 * same folder as PATH (so the final rename() cannot cross file systems);
 * afile_commit() syncs it and renames it over PATH; afile_abort() throws
 * it away.  After a successful afile_open(), call exactly one of the two.
 * A process killed in between leaves the hidden temporary file.
 *
 * Safety rules (reliability.md section 6):
 *   - PATH is never written through a symlink: a symlink there is refused
 *     (ST_CANTCREAT "refusing to write through symlink 'PATH'");
 *   - an existing PATH is replaced only with AFILE_FORCE (ST_CANTCREAT
 *     "'PATH' exists (use --force)"), and only if it is a regular file;
 *     without AFILE_FORCE, a file that appears at PATH while we write is
 *     not replaced either (hard link, not rename, where the file system
 *     supports it);
 *   - the new file gets mode 0644 minus the umask, or the mode of the
 *     file it replaces.
 * Errors name PATH: "cannot create 'PATH': why" (ST_CANTCREAT) or
 * "cannot write 'PATH': why" (ST_IOERR), e.g. "No space left on device".
 */

#include <stdio.h>

#include "lib/status.h"

/* Replace an existing regular file at PATH. */
#define AFILE_FORCE 1u

struct afile {
	FILE *fp;   /* write here between open and commit/abort */
	char *path; /* the target, owned */
	char *tmp;  /* the temporary file, owned */
	unsigned flags;
};

/*
 * Check PATH and create the temporary file.  On failure nothing is left
 * on disk, af->fp is NULL, and afile_abort() is a harmless no-op.
 */
enum status afile_open(struct afile *af, const char *path, unsigned flags);

/*
 * Flush, fsync, close and rename over PATH, then fsync the folder.  On
 * failure the temporary file is removed and PATH is unchanged.  Either
 * way af is released (fp NULL); afile_abort() after it does nothing.
 */
enum status afile_commit(struct afile *af);

/* Close and remove the temporary file; release af.  Idempotent. */
void afile_abort(struct afile *af);

#endif
