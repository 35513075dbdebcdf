# shellcheck shell=bash
# shellcheck disable=SC2034  # the variables below are used by the scripts that source this file
# Shared by the tests/stack/ scripts: paths, messages, process helpers.
# Source it; do not run it.  Nothing here starts or changes anything by itself.

# --- Paths -------------------------------------------------------------------
# Resolve the repository from this file's own location, so the scripts work from
# any clone path (CI checks out elsewhere) and from any working directory.
VVC_STACK_SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VVC_REPO="$(cd "$VVC_STACK_SCRIPTS/../.." && pwd)"
STACK="$VVC_REPO/.stack"          # every bit of state lives here (git-ignored)
RUN="$STACK/run"                  # sockets and PID files
LOGS="$STACK/logs"                # every log file
CONF="$STACK/conf"                # generated configs for mariadb, php-fpm, nginx
WP_ROOT="$STACK/wordpress"        # one extracted WordPress tree per version

# Supported WordPress trees: folder name => Debian suite(s) they come from.
VVC_WP_VERSIONS=(7.1 6.8)

# Fixed ports (see README.md).
SITE_PORT=8888
DB_PORT=3307
SIM_PORT=4010

SITE_URL="http://127.0.0.1:$SITE_PORT"
SIM_URL="http://127.0.0.1:$SIM_PORT"
DB_SOCKET="$RUN/mysqld.sock"
DB_USER=vvc
DB_PASSWORD=vvc
PHP_BIN=php8.2
PHP_FPM_BIN=/usr/sbin/php-fpm8.2

# --- Messages ----------------------------------------------------------------
log()  { printf '\033[1;34m[stack]\033[0m %s\n' "$*"; }
warn() { printf '\033[1;33m[stack] WARNING:\033[0m %s\n' "$*" >&2; }
die()  { printf '\033[1;31m[stack] ERROR:\033[0m %s\n' "$*" >&2; exit 1; }

# Prints the last lines of a log file (if any) to stderr, to explain a failure.
show_log_tail() {
	local file="$1" lines="${2:-30}"
	if [[ -s "$file" ]]; then
		printf -- '----- last %s lines of %s -----\n' "$lines" "$file" >&2
		tail -n "$lines" "$file" >&2
		printf -- '-----\n' >&2
	else
		printf -- '(log %s is empty or missing)\n' "$file" >&2
	fi
}

# "7.1" -> "71": used in database names (vvc_site_71, vvc_test_71).
wp_version_slug() { printf '%s' "${1//./}"; }

# --- Processes ---------------------------------------------------------------
# Every long-running service is started with `setsid` in the background, so its
# PID is also its process-group id.  down.sh then stops the whole group: tsx and
# php-fpm have child processes that would otherwise outlive their parent
# (pitfall 5).  PID files live in $RUN/<name>.pid.

# pid_of NAME: prints the PID recorded for NAME if that process still runs and
# its command line contains EXPECTED (guards against a recycled PID).
pid_of() {
	local name="$1" expected="$2" pid
	[[ -s "$RUN/$name.pid" ]] || return 1
	pid="$(<"$RUN/$name.pid")"
	[[ "$pid" =~ ^[0-9]+$ ]] || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$expected" || return 1
	printf '%s' "$pid"
}

# start_service NAME LOGFILE CMD...: runs CMD in its own session, stdin from
# /dev/null and output appended to LOGFILE (so nothing keeps the caller's
# terminal or pipe open), and records its PID.
start_service() {
	local name="$1" logfile="$2"
	shift 2
	setsid "$@" </dev/null >>"$logfile" 2>&1 &
	printf '%s\n' "$!" >"$RUN/$name.pid"
}

# group_alive PGID: true while a process of the group still runs.  Zombies do
# not count: on these machines PID 1 reaps orphans only every second or two,
# and the services' parents (up.sh) are long gone.
group_alive() {
	# shellcheck disable=SC2009  # pgrep cannot leave zombies out
	ps -o stat= -g "$1" 2>/dev/null | grep -q '^[^Z]'
}

# stop_service NAME EXPECTED: TERM to the process group, then KILL after 15 s.
stop_service() {
	local name="$1" expected="$2" pid i
	if ! pid="$(pid_of "$name" "$expected")"; then
		rm -f "$RUN/$name.pid"
		return 0
	fi
	log "stopping $name (process group $pid)"
	kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 150; i++)); do
		group_alive "$pid" || break
		sleep 0.1
	done
	if group_alive "$pid"; then
		warn "$name did not stop within 15 s; sending KILL"
		kill -KILL -- "-$pid" 2>/dev/null || true
	fi
	rm -f "$RUN/$name.pid"
}

# wait_until SECONDS DESCRIPTION LOGFILE CMD...: polls CMD every 0.1 s; on
# timeout dies with the tail of LOGFILE.
wait_until() {
	local seconds="$1" what="$2" logfile="$3" i
	shift 3
	for ((i = 0; i < seconds * 10; i++)); do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
	done
	show_log_tail "$logfile"
	die "$what did not become ready within ${seconds}s (log: $logfile)"
}

# write_if_changed FILE: writes stdin to FILE only when the content differs, so a
# second up.sh changes nothing.  Returns 0 when the file changed, 1 otherwise.
write_if_changed() {
	local file="$1" tmp
	# The scratch file lives in .stack/tmp: creating it next to FILE would
	# touch the folder's mtime even when nothing changes.
	mkdir -p "$STACK/tmp"
	tmp="$(mktemp "$STACK/tmp/write.XXXXXX")"
	cat >"$tmp"
	if [[ -f "$file" ]] && cmp -s "$tmp" "$file"; then
		rm -f "$tmp"
		return 1
	fi
	chmod 0644 "$tmp"
	mv -f "$tmp" "$file"
	return 0
}
