#!/usr/bin/env bash
# Runs ConsultScore in Spark local mode. With no arguments it scores the bundled sample data
# (data-samples/) for October 2026 and September before it, and prints the summary.
# Any arguments are passed to the CLI instead, e.g.:
#   ./run-local.sh run --config conf/examples/pwc-call-center.conf --period 2021-03-01
#   ./run-local.sh validate --config conf/application.conf
# Needs only Java 17 and Maven; the first call builds the jar.
set -euo pipefail
cd "$(dirname "$0")"

jar=target/consultscore.jar
classpath_file=target/local-classpath.txt

needs_build() {
  [[ ! -f "$jar" || ! -f "$classpath_file" ]] && return 0
  [[ -n "$(find src pom.xml -newer "$jar" -print -quit)" ]]
}

if needs_build; then
  echo "Building ConsultScore (first run downloads dependencies) / 正在构建..." >&2
  mvn -q -B -DskipTests package >&2
fi

# The flags Spark needs on Java 17 to reach into JDK modules. The test JVMs of pom.xml read
# the same file.
java_opens=(@conf/java17-opens.args)

if [[ $# -eq 0 ]]; then
  set -- run --config conf/application.conf --period 2026-10-01 --grain month
fi

# Spark's web UI and driver bind to loopback only.
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"

exec java "${java_opens[@]}" -Xmx"${CONSULTSCORE_DRIVER_MEMORY:-4g}" \
  -Dlog4j2.configurationFile="conf/log4j2.properties" \
  -cp "$jar:$(cat "$classpath_file")" \
  org.consultscore.cli.ConsultScoreCli "$@"
