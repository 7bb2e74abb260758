#!/usr/bin/env bash
# Benchmarks the ConsultScore job on generated data. It builds if needed, generates the
# input and runs the job with master local[2] and a 6 GB driver heap. Then it times a bare
# Spark scan of the same input (the floor) and DuckDB on the same Parquet files (the peer),
# and writes a report. bench/README.md explains each figure, and --help lists the options.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  cat <<'EOF'
Usage: bench/run-bench.sh --sessions N [options]

Generates N sessions (rounded up to whole days) spread over days and consultants, runs
the job on them and prints the report (also written to bench/results/).

Options:
  --sessions N            Sessions to generate (required unless --fixture). The generator
                          gets ceil(N / D) sessions per day over all consultants and
                          ceil(N / (D x L)) consultants.
  --days D                Days of data (default 30).
  --consultant-load L     Sessions per consultant and day (default 40).
  --messages-per-session M
                          Chat messages per session (default: the generator's, 8).
  --seed N                Random seed of the generator (default 20261204).
  --data DIR              Data folder (default bench/data/<N>, or bench/data/fixture).
                          An existing folder with consultscore.conf is reused as it is.
  --regenerate            Delete the data folder first and generate it again.
  --fixture               Use the small fixture built from data-samples/ (about 4,000
                          sessions) instead of `generate --scale`.
  --heap SIZE             Driver heap of the job and the floor scan (default 6g).
  --peer-memory SIZE      DuckDB memory_limit of the peer (default 6GB).
  -h, --help              Show this help.

Environment: SPARK_LOCAL_IP (default 127.0.0.1).
EOF
}

command_line="bench/run-bench.sh $*"
sessions=""
days=30
load=40
messages_per_session=""
seed=20261204
data=""
regenerate=false
fixture=false
heap=6g
peer_memory=6GB

while [[ $# -gt 0 ]]; do
  case "$1" in
    --sessions) sessions="${2:?--sessions needs a number}"; shift 2 ;;
    --days) days="${2:?--days needs a number}"; shift 2 ;;
    --consultant-load) load="${2:?--consultant-load needs a number}"; shift 2 ;;
    --messages-per-session) messages_per_session="${2:?--messages-per-session needs a number}"; shift 2 ;;
    --seed) seed="${2:?--seed needs a number}"; shift 2 ;;
    --data) data="${2:?--data needs a folder}"; shift 2 ;;
    --regenerate) regenerate=true; shift ;;
    --fixture) fixture=true; shift ;;
    --heap) heap="${2:?--heap needs a size such as 6g}"; shift 2 ;;
    --peer-memory) peer_memory="${2:?--peer-memory needs a size such as 6GB}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run-bench.sh: unknown option '$1'; see --help" >&2; exit 2 ;;
  esac
done

seconds_since() { awk -v start="$1" -v now="$(date +%s.%N)" 'BEGIN { printf "%.1f", now - start }'; }
is_number() { [[ "$1" =~ ^[1-9][0-9]*$ ]]; }
if [[ "$fixture" == false ]] && ! is_number "$sessions"; then
  echo "run-bench.sh: --sessions must be a positive whole number, got '${sessions}'; see --help" >&2
  exit 2
fi
for value in "$days" "$load" "$seed"; do
  is_number "$value" || { echo "run-bench.sh: '$value' is not a positive whole number" >&2; exit 2; }
done

if [[ "$fixture" == true ]]; then
  label=fixture
else
  label="$sessions"
fi
data="$(realpath -m "${data:-bench/data/$label}")"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
results="bench/results"
work="$results/$stamp-$label"
mkdir -p "$work"

jar=target/consultscore.jar
classpath_file=target/local-classpath.txt
bench_classpath_file=target/bench-classpath.txt

needs_build() {
  [[ ! -f "$jar" || ! -f "$classpath_file" || ! -d target/test-classes/org/consultscore/bench ]] && return 0
  [[ -n "$(find src pom.xml -newer "$jar" -print -quit)" ]]
}
if needs_build; then
  echo "Building ConsultScore and its test classes (mvn -q -DskipTests package)..." >&2
  mvn -q -B -DskipTests package >&2
fi
if [[ ! -f "$bench_classpath_file" || pom.xml -nt "$bench_classpath_file" ]]; then
  echo "Writing the test classpath to $bench_classpath_file..." >&2
  mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$bench_classpath_file" >&2
fi

# The flags Spark needs on Java 17 to reach into JDK modules. The test JVMs of pom.xml read
# the same file.
java_opens=(@conf/java17-opens.args)
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
log4j=(-Dlog4j2.configurationFile="conf/log4j2.properties")
job_classpath="$jar:$(cat "$classpath_file")"
bench_classpath="target/test-classes:target/classes:$(cat "$bench_classpath_file")"

job_java() { java "${java_opens[@]}" -Xmx"$heap" "${log4j[@]}" -cp "$job_classpath" "$@"; }
bench_java() { local bench_heap="$1"; shift; java "${java_opens[@]}" -Xmx"$bench_heap" "${log4j[@]}" -cp "$bench_classpath" "$@"; }

# 1. Data.
if [[ "$regenerate" == true && -d "$data" ]]; then
  echo "Deleting $data to generate it again" >&2
  rm -rf -- "$data"
fi
if [[ -f "$data/consultscore.conf" ]]; then
  echo "Reusing the data in $data" >&2
elif [[ "$fixture" == true ]]; then
  echo "Writing the fixture from data-samples/ to $data" >&2
  bench_java 2g org.consultscore.bench.BenchFixture --output "$data" --project . >&2 2> "$work/fixture.log"
else
  if ! job_java org.consultscore.cli.ConsultScoreCli generate --help 2>/dev/null | grep -q -- '--scale'; then
    echo "run-bench.sh: this build's generate command has no --scale option, so it cannot write" \
      "$sessions sessions. Use --fixture, or build a version with the scale generator." >&2
    exit 2
  fi
  # generate --scale counts --sessions-per-day over all consultants.
  per_day=$(( (sessions + days - 1) / days ))
  consultants=$(( (per_day + load - 1) / load ))
  generate=(generate --scale --output "$data" --consultants "$consultants" --days "$days"
    --sessions-per-day "$per_day" --seed "$seed" --format parquet)
  [[ -n "$messages_per_session" ]] && generate+=(--messages-per-session "$messages_per_session")
  echo "Generating $days days x $per_day sessions per day, $consultants consultants, into $data" >&2
  generate_start=$(date +%s.%N)
  job_java org.consultscore.cli.ConsultScoreCli "${generate[@]}" > "$work/generate.log" 2>&1 \
    || { echo "run-bench.sh: generate failed; see $work/generate.log" >&2; exit 1; }
  echo "Generated in $(seconds_since "$generate_start") s" >&2
fi

# 2. The run's periods: the month of the last session day and every month back to the first.
days_present=$(find "$data/sessions" -maxdepth 1 -type d -name 'date=*' -printf '%f\n' | sed 's/^date=//' | sort)
if [[ -z "$days_present" ]]; then
  echo "run-bench.sh: no date=YYYY-MM-DD folders in $data/sessions" >&2
  exit 2
fi
first_day=$(head -1 <<< "$days_present")
last_day=$(tail -1 <<< "$days_present")
month_index() { echo $(( 10#${1:0:4} * 12 + 10#${1:5:2} )); }
lookback=$(( $(month_index "$last_day") - $(month_index "$first_day") ))

# The overlay sits beside consultscore.conf, so a relative scoring_file in it still resolves.
config="$data/bench.conf"
cat > "$config" <<EOF
# Written by bench/run-bench.sh: the data's own config with the bench's master, periods and output.
include file("$data/consultscore.conf")
spark.master = "local[2]"
period.lookback_periods = $lookback
output.path = "$data/warehouse"
EOF
cp "$config" "$work/bench.conf"
rm -rf -- "$data/warehouse"

load_average=$(cut -d' ' -f1-3 /proc/loadavg)
cores=$(nproc)
if awk -v load="${load_average%% *}" -v cores="$cores" 'BEGIN { exit !(load > cores) }'; then
  echo "run-bench.sh: WARNING: load average $load_average is above $cores cores; the times will be inflated" >&2
fi

# 3. The job, with its peak resident memory.
run_args=(run --config "$config" --period "$last_day" --grain month --no-summary)
echo "Running the job: ${run_args[*]} (days $first_day to $last_day, lookback $lookback)" >&2
job_start=$(date +%s.%N)
if [[ -x /usr/bin/time ]]; then
  rss_method="/usr/bin/time -f %M"
  /usr/bin/time -f %M -o "$work/job-rss-kb.txt" \
    java "${java_opens[@]}" -Xmx"$heap" "${log4j[@]}" -cp "$job_classpath" \
    org.consultscore.cli.ConsultScoreCli "${run_args[@]}" > "$work/job.out" 2> "$work/job.log" \
    || { echo "run-bench.sh: the job failed; see $work/job.log" >&2; exit 1; }
  peak_rss_kb=$(tail -1 "$work/job-rss-kb.txt")
else
  rss_method="VmHWM polled from /proc every second"
  java "${java_opens[@]}" -Xmx"$heap" "${log4j[@]}" -cp "$job_classpath" \
    org.consultscore.cli.ConsultScoreCli "${run_args[@]}" > "$work/job.out" 2> "$work/job.log" &
  job_pid=$!
  peak_rss_kb=0
  while kill -0 "$job_pid" 2>/dev/null; do
    hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$job_pid/status" 2>/dev/null || true)
    [[ -n "$hwm" && "$hwm" -gt "$peak_rss_kb" ]] && peak_rss_kb=$hwm
    sleep 1
  done
  wait "$job_pid" || { echo "run-bench.sh: the job failed; see $work/job.log" >&2; exit 1; }
fi
job_seconds=$(seconds_since "$job_start")

# 4. The floor and the peer, on the same input.
echo "Running the floor scan" >&2
bench_java "$heap" org.consultscore.bench.FloorScan --config "$config" --output "$work/floor.json" \
  2> "$work/floor.log" >&2
echo "Running the DuckDB peer" >&2
bench_java 2g org.consultscore.bench.DuckDbPeer --config "$config" --output "$work/peer.json" \
  --threads 2 --memory-limit "$peer_memory" 2> "$work/peer.log" >&2

# 5. The report.
report="$results/$stamp-$label"
bench_java 2g org.consultscore.bench.BenchReport --config "$config" \
  --floor "$work/floor.json" --peer "$work/peer.json" --sessions "${sessions:-0}" \
  --process-seconds "$job_seconds" --peak-rss-kb "$peak_rss_kb" --peak-rss-method "$rss_method" \
  --command "$command_line" --data "$data" --driver-heap "$heap" --load-average "$load_average" \
  --markdown "$report.md" --json "$report.json" 2> "$work/report.log"
echo "Report written to $report.md and $report.json; logs in $work/" >&2
