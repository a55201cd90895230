#!/usr/bin/env bash
# Builds the local image berth/nginx:latest from Debian's nginx, without a
# registry (none is reachable here): a minimal root filesystem holding
# /usr/sbin/nginx and the libraries ldd lists, /etc/passwd and /etc/group,
# and an nginx.conf that
#   - runs in the foreground (daemon off) and logs errors to stderr,
#   - answers every path with the container's hostname ("$hostname\n",
#     text/plain) on port 80, so a client sees which instance served it,
#   - serves /usr/share/nginx/html under /static/, so the seed's bind of a
#     document root onto /usr/share/nginx/html works,
# imported with `docker import` (CMD /usr/sbin/nginx, EXPOSE 80/tcp).
#
# Usage: scripts/build-nginx-image.sh [--force]
# Idempotent: does nothing when the image exists, unless --force.
# Installs nginx-light (apt-get, quietly) when /usr/sbin/nginx is missing.
# Honours DOCKER_HOST like the docker CLI.
set -euo pipefail

image="berth/nginx:latest"
force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -h | --help)
      sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "build-nginx-image: unknown argument: $arg (usage: $0 [--force])" >&2
      exit 2
      ;;
  esac
done

die() {
  echo "build-nginx-image: $*" >&2
  exit 1
}

command -v docker >/dev/null 2>&1 || die "the docker CLI is not installed (apt-get install docker.io)"

daemon="${DOCKER_HOST:-unix:///var/run/docker.sock}"
if ! err=$(docker version --format '{{.Server.Version}}' 2>&1 >/dev/null); then
  die "cannot reach dockerd at $daemon — is dockerd running and is the socket accessible? (docker: ${err:-no answer})"
fi

if [ "$force" -eq 0 ] && docker image inspect "$image" >/dev/null 2>&1; then
  exit 0
fi

# Test processes running side by side may all find the image missing: one
# builds, the others wait and then find it (the lock is this script itself).
if command -v flock >/dev/null 2>&1; then
  exec 9<"$0"
  flock 9
  if [ "$force" -eq 0 ] && docker image inspect "$image" >/dev/null 2>&1; then
    exit 0
  fi
fi

if [ ! -x /usr/sbin/nginx ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "build-nginx-image: installing nginx-light" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq --no-install-recommends nginx-light >/dev/null
  [ -x /usr/sbin/nginx ] || die "nginx-light did not install /usr/sbin/nginx"
fi
command -v ldd >/dev/null 2>&1 || die "ldd is missing (apt-get install libc-bin)"

root=$(mktemp -d "${TMPDIR:-/tmp}/berth-nginx-root.XXXXXX")
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{usr/sbin,etc/nginx,run,var/lock,var/log/nginx,var/lib/nginx,usr/share/nginx/html,tmp}
chmod 1777 "$root/tmp"
cp /usr/sbin/nginx "$root/usr/sbin/nginx"

# Every library nginx loads, at the path the loader looks for it (the
# interpreter keeps its absolute path, /lib64/ld-linux-x86-64.so.2).
libs=$(ldd /usr/sbin/nginx | awk '
  $2 == "=>" && $3 ~ /^\// { print $3; next }
  $1 ~ /^\// { print $1 }')
[ -n "$libs" ] || die "ldd listed no libraries for /usr/sbin/nginx"
for lib in $libs; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done

cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
www-data:x:33:
nogroup:x:65534:
EOF
# glibc's built-in "files" service; no other NSS module is in the image.
cat >"$root/etc/nsswitch.conf" <<'EOF'
passwd: files
group: files
hosts: files
EOF
cat >"$root/etc/nginx/nginx.conf" <<'EOF'
daemon off;
user www-data www-data;
worker_processes 1;
error_log stderr;
pid /run/nginx.pid;

events {
  worker_connections 512;
}

http {
  types {
    text/html html htm;
    text/css css;
    application/javascript js;
    application/json json;
    image/png png;
    image/jpeg jpg jpeg;
    image/svg+xml svg;
  }
  default_type text/plain;
  access_log off;
  server_tokens off;
  sendfile on;

  server {
    listen 80 default_server;
    listen [::]:80 default_server;

    location / {
      default_type text/plain;
      return 200 "$hostname\n";
    }
    location /static/ {
      alias /usr/share/nginx/html/;
    }
  }
}
EOF
echo "berth/nginx" >"$root/usr/share/nginx/html/index.html"

old_id=$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
tar --numeric-owner --owner=0 --group=0 -C "$root" -c . |
  docker import -c 'CMD ["/usr/sbin/nginx"]' -c 'EXPOSE 80/tcp' - "$image" >/dev/null ||
  die "docker import of $image failed"

# The libraries and the configuration, checked where they will run.
if ! out=$(docker run --rm --network none "$image" /usr/sbin/nginx -t -q 2>&1); then
  docker image rm -f "$image" >/dev/null 2>&1 || true
  die "the image does not pass \`nginx -t\`: $out"
fi
# The image this one replaces (--force), unless a container still uses it.
new_id=$(docker image inspect --format '{{.Id}}' "$image")
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then
  docker image rm "$old_id" >/dev/null 2>&1 || true
fi
echo "build-nginx-image: built $image" >&2
