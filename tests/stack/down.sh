#!/usr/bin/env bash
# Stops everything up.sh started: the simulator, nginx, php-fpm and MariaDB.
# Each runs in its own process group (see lib.sh); the whole group is stopped.
# Idempotent: with nothing running it just says so.  Data stays in .stack/.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ -d "$RUN" ]] || { log "nothing to stop (no $RUN)"; exit 0; }

# Front to back, so no request reaches a service that is already gone.
# "name" and the text its command line must contain (guards against reused PIDs).
stop_service simulator server.ts
stop_service nginx nginx
stop_service php-fpm php-fpm
stop_service mariadb mariadbd

rm -f "$RUN/php-fpm.sock" "$RUN/mysqld.sock" "$RUN/nginx.master.pid" "$RUN/php-fpm.master.pid" "$RUN/mariadbd.pid"
log "stack stopped"
