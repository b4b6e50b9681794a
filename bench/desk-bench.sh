# desk-bench.sh — sourced by bench/run --desk: the desk from start to the queue's first page,
# its resident memory, and the queue's interactions, with 20,000 and 1,000,000 incidents.
#
# Each figure is the median of $DESK_RUNS desk processes (default 3), each started afresh
# under Xvfb (software rendering), with an in-memory settings backend so no run inherits
# another's window size or page. The million-incident cache is the 20,000-incident street
# copied 50 times in SQL (whistle-demo --multiply), which keeps its mix of states.
# Goals (issue 4): resident memory with 1,000,000 within 1.3× of 20,000; every interaction
# under 50 ms.

desk_median () {
  sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

desk_runs () {
  local db=$1 label=$2 runs=${DESK_RUNS:-3} out="$work/desk-$2"
  : > "$out"
  for _ in $(seq "$runs"); do
    GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$build/data" NO_AT_BRIDGE=1 GTK_A11Y=none \
      xvfb-run -a -s "-screen 0 1600x1000x24" \
      sh -c 'exec "$1" --cache "$2" --start-ns "$(date +%s%N)"' _ \
      "$build"/bench/desk-bench "$db" 2>/dev/null >> "$out"
  done
  printf '%s renderer %s\n' "$label" "$(awk '$1 == "renderer" { print $2; exit }' "$out")"
  for key in first_page_ms rss_kib hwm_kib view_ms filter_ms sort_ms search_ms; do
    printf '%s %s %s\n' "$label" "$key" "$(awk -v k="$key" '$1 == k { print $2 }' "$out" | desk_median)"
  done
}

desk_bench () {
  local small="$work/desk-20000.db" big="$build/bench-cache/desk-1000000.db"
  "$build"/src/tools/whistle-demo --quiet --output "$small" --incidents 20000
  if [ "$(sqlite3 "$big" "SELECT value FROM meta WHERE key = 'demo_multiplied'" 2>/dev/null)" != 50 ]; then
    mkdir -p "$(dirname "$big")"
    rm -f "$big" "$big-wal" "$big-shm"
    "$build"/src/tools/whistle-demo --quiet --output "$big" --incidents 20000 --multiply 50
  fi
  desk_runs "$small" 20000 > "$work/desk-figures"
  desk_runs "$big" 1000000 >> "$work/desk-figures"
  awk '
    { v[$1, $2] = $3 }
    END {
      printf "%-28s %12s %12s\n", "desk (median of runs)", "20,000", "1,000,000"
      printf "%-28s %12s %12s\n", "drawn with", v[20000, "renderer"], v[1000000, "renderer"]
      printf "%-28s %9.0f ms %9.0f ms\n", "start to first queue page", v[20000, "first_page_ms"], v[1000000, "first_page_ms"]
      printf "%-28s %8.1f MiB %8.1f MiB   ratio %.2f (goal <= 1.3)\n", "resident memory (VmRSS)", v[20000, "rss_kib"] / 1024, v[1000000, "rss_kib"] / 1024, v[1000000, "rss_kib"] / v[20000, "rss_kib"]
      printf "%-28s %8.1f MiB %8.1f MiB\n", "peak memory (VmHWM)", v[20000, "hwm_kib"] / 1024, v[1000000, "hwm_kib"] / 1024
      printf "%-28s %9.1f ms %9.1f ms\n", "view change", v[20000, "view_ms"], v[1000000, "view_ms"]
      printf "%-28s %9.1f ms %9.1f ms\n", "category filter", v[20000, "filter_ms"], v[1000000, "filter_ms"]
      printf "%-28s %9.1f ms %9.1f ms\n", "sort change", v[20000, "sort_ms"], v[1000000, "sort_ms"]
      printf "%-28s %9.1f ms %9.1f ms\n", "search (2 characters)", v[20000, "search_ms"], v[1000000, "search_ms"]
    }' "$work/desk-figures"
}
