# Sourced by bench/run.sh and bench/stacks.sh: the physical ceiling of a two-hop gateway on this machine. One nginx
# answers Meta's Send API success to any request (it stands in for Meta, like bench/GraphStub.java); a second nginx
# proxies to it over kept-alive connections (it stands in for the gateway). Each runs in the foreground with its own
# config in a temporary folder, one worker per core, no access log. nginx-light is installed from Debian when missing.
# Needs: $work (a temporary folder), the array pids (each nginx's master is added, so the caller's trap stops it).

ensure_nginx() {
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] && return 0
  echo "installing nginx-light from Debian ..." >&2
  apt-get install -y -qq nginx-light >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq nginx-light; } >&2
}

# nginx_start NAME PORT SERVER_BLOCK_BODY [HTTP_EXTRA]: an nginx listening on 127.0.0.1:PORT
nginx_start() {
  local name=$1 port=$2 body=$3 extra=${4:-} dir="$work/nginx-$1"
  mkdir -p "$dir"
  cat > "$dir/nginx.conf" <<CONF
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 20000; }
http {
  access_log off;
  client_body_temp_path $dir/body; proxy_temp_path $dir/proxy; fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi; scgi_temp_path $dir/scgi;
  # like the stubs, keep every client connection (nginx closes one after 1,000 requests by default)
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  $extra
  server {
    listen 127.0.0.1:$port backlog=4096;
    $body
  }
}
CONF
  "$(command -v nginx || echo /usr/sbin/nginx)" -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' 2>"$dir/stderr" & pids+=($!)
}

# nginx_meta PORT: Meta's documented success shape, {"recipient_id":...,"message_id":...}, a fresh message id each time
nginx_meta() {
  nginx_start meta "$1" 'location / { default_type application/json; return 200 "{\"recipient_id\":\"1254477777772919\",\"message_id\":\"m_$request_id\"}"; }'
}

# nginx_proxy PORT UPSTREAM_PORT: proxy_pass to the nginx on UPSTREAM_PORT, HTTP/1.1 with kept-alive connections
nginx_proxy() {
  nginx_start proxy "$1" 'location / { proxy_pass http://meta; proxy_http_version 1.1; proxy_set_header Connection ""; }' \
    "upstream meta { server 127.0.0.1:$2; keepalive 256; keepalive_requests 100000000; keepalive_timeout 300s; }"
}
