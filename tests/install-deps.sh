#!/bin/sh
# Install the Debian packages named on the command line that are missing.
# As root: apt-get.  Otherwise: sudo apt-get when sudo works without a
# password prompt we cannot answer.  If neither is possible, print the
# exact command for the user and fail.
set -u
missing=
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "oligo: installing missing Debian packages:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	SUDO="sudo -n"
elif command -v sudo >/dev/null 2>&1 && [ -t 0 ]; then
	SUDO=sudo
else
	echo "oligo: cannot install packages (not root, no usable sudo)." >&2
	echo "oligo: please run: sudo apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may have no package lists yet: update, then install.
if ! $SUDO apt-get install -y --no-install-recommends $missing >/dev/null 2>&1; then
	$SUDO apt-get update -q >/dev/null 2>&1
	if ! $SUDO apt-get install -y --no-install-recommends $missing; then
		echo "oligo: apt-get could not install:$missing" >&2
		exit 1
	fi
fi
