#!/usr/bin/env bash
# Serves a remote module cache as teams serve Bazel's HTTP cache protocol with nginx: WebDAV
# PUT into DIR/store, GET and HEAD from it, on 127.0.0.1:PORT, in the foreground (one
# process, as the current user; stop it with a signal). For the README example and
# tests/bench/cache.sh; tests/remote_cache.rs writes its own, with failing sites beside it.
#
# Usage:  bash tests/nginx/webdav.sh DIR PORT
set -euo pipefail
dir="$1"
port="$2"
nginx="$(command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true)"
[ -n "$nginx" ] || { echo "no nginx: apt-get install nginx" >&2; exit 127; }
mkdir -p "$dir/store"
cat > "$dir/nginx.conf" <<CONF
daemon off;
master_process off;
pid $dir/nginx.pid;
error_log stderr crit;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  client_max_body_size 1g;
  server {
    listen 127.0.0.1:$port;
    root $dir/store;
    log_not_found off;
    dav_methods PUT;
    create_full_put_path on;
  }
}
CONF
exec "$nginx" -c "$dir/nginx.conf" -p "$dir" -e stderr
