#include "tui/spawn.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

bool
spawn_can_run(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[4096];

	if (!prog || !*prog)
		return false;
	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0;
	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");

		if (n &&
		    snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, p, prog) <
		        (int)sizeof(buf) &&
		    access(buf, X_OK) == 0)
			return true;
		p += n + (p[n] == ':');
	}
	return false;
}

pid_t
spawn_quiet(const char *path, char *const argv[])
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	/* Child: a new session so the terminal's signals stay ours. */
	int fd = open("/dev/null", O_RDWR);

	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	setsid();
	execvp(path, argv);
	_exit(127);
}

bool
spawn_url_ok(const char *url)
{
	const char *host;

	if (!url)
		return false;
	if (!strncasecmp(url, "https://", 8))
		host = url + 8;
	else if (!strncasecmp(url, "http://", 7))
		host = url + 7;
	else
		return false;
	if (!*host || *host == '/' || *host == ':')
		return false;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return false;
	return true;
}
