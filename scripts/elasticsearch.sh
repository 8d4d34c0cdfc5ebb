#!/usr/bin/env bash
# Run one real Elasticsearch 7.10.2 node on loopback, resolved from Maven
# Central (org.codelibs:elasticsearch-cluster-runner). Usage:
#   scripts/elasticsearch.sh start|stop|status
# Environment: ES_PORT (default 9250), ES_HEAP (default 1g), ES_DATA_DIR,
# ES_GC (the JVM's collector flag, default -XX:+UseSerialGC).
source "$(dirname "$0")/lib.sh"

ES_PORT="${ES_PORT:-9250}"
ES_HEAP="${ES_HEAP:-1g}"
ES_GC="${ES_GC:--XX:+UseSerialGC}"
ES_DIR="$REPO_DIR/services/elasticsearch"
ES_DATA_DIR="${ES_DATA_DIR:-$REPO_DIR/var/elasticsearch-$ES_PORT}"
PID_FILE="$RUN_DIR/elasticsearch-$ES_PORT.pid"
LOG_FILE="$RUN_DIR/elasticsearch-$ES_PORT.log"
URL="http://127.0.0.1:$ES_PORT"

require_tools() {
  command -v java >/dev/null 2>&1 || die "Java is missing: the local Elasticsearch node needs a JDK 17 \
(install it with 'apt-get install openjdk-17-jre-headless', or point ELASTICSEARCH_URL at an existing cluster)."
  command -v mvn >/dev/null 2>&1 || die "Maven is missing: it resolves Elasticsearch from Maven Central \
(install it with 'apt-get install maven', or point ELASTICSEARCH_URL at an existing cluster)."
  command -v javac >/dev/null 2>&1 || die "javac is missing: install a JDK ('apt-get install openjdk-17-jdk-headless')."
}

build() {
  if [ ! -f "$ES_DIR/target/lib/elasticsearch-7.10.2.jar" ]; then
    say "resolving Elasticsearch 7.10.2 from Maven Central..."
    (cd "$ES_DIR" && mvn -q -B dependency:copy-dependencies -DoutputDirectory=target/lib) \
      || die "Maven could not resolve org.codelibs:elasticsearch-cluster-runner:7.10.2.0 (see output above)."
  fi
  # LocalNode (one node, this script) and ClusterNodes (several nodes, the cluster test).
  local source
  for source in "$ES_DIR"/src/*.java; do
    local class="$ES_DIR/target/classes/$(basename "$source" .java).class"
    if [ ! -f "$class" ] || [ "$source" -nt "$class" ]; then
      mkdir -p "$ES_DIR/target/classes"
      javac -cp "$ES_DIR/target/lib/*" -d "$ES_DIR/target/classes" "$source"
    fi
  done
}

answers() { curl -fsS "$URL/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1; }

start() {
  if answers; then say "Elasticsearch already answers on $URL"; return 0; fi
  require_tools
  build
  mkdir -p "$ES_DATA_DIR"
  # es.distribution.flavor=default: the node reports the flavor that
  # elasticsearch-py 7.14+ insists on before it talks to a 7.x server.
  nohup java -Xms"$ES_HEAP" -Xmx"$ES_HEAP" "$ES_GC" \
    -Des.distribution.flavor=default -Dlog4j2.disable.jmx=true \
    -cp "$ES_DIR/target/classes:$ES_DIR/target/lib/*" LocalNode "$ES_DATA_DIR" "$ES_PORT" \
    >"$LOG_FILE" 2>&1 &
  echo $! >"$PID_FILE"
  if ! wait_for "Elasticsearch" 180 answers; then
    tail -n 20 "$LOG_FILE" >&2 || true
    die "Elasticsearch did not answer on $URL within 180 s (log: $LOG_FILE)."
  fi
  say "Elasticsearch 7.10.2 ready on $URL"
}

case "${1:-}" in
  start) start ;;
  stop) stop_pidfile "$PID_FILE" Elasticsearch ;;
  status) answers && say "Elasticsearch answers on $URL" || { say "Elasticsearch is not running on $URL"; exit 1; } ;;
  build) require_tools; build ;;
  *) die "usage: $0 start|stop|status|build" ;;
esac
