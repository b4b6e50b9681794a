# bench/sync-bench.sh — first full sync of the demo street over loopback (bench/run --sync)
#
# Sourced by bench/run, which has built the tree into $build and made the scratch folder
# $work. A district server with one demo street (20,000 incidents with their timelines) runs
# on a loopback port; then
#   whistlectl sync-once       the desk's engine into an empty cache: organisation, every page
#                              of the changes feed, each page and its cursor in one transaction
#   baseline                   curl downloads the same pages to files, and the sqlite3 shell
#                              loads them with json_each into a cache of the same schema (same
#                              tables, indexes and triggers, same pragmas, one transaction per
#                              page), with none of the engine's checks
# and prints both times and their ratio (goal: the engine within 2x of the baseline).

sync_bench () {
  local incidents=${SYNC_BENCH_INCIDENTS:-20000}
  local server_db="$work/sync-server.db" desk="$work/sync-desk.db" base="$work/sync-base.db"
  local pages="$work/pages" url token server_pid start end engine baseline download

  for tool in curl sqlite3; do
    if ! command -v "$tool" >/dev/null; then
      echo "sync: needs $tool" >&2
      return 1
    fi
  done

  "$build"/src/server/whistle-server admin --database "$server_db" load-demo --streets 1 \
    --incidents "$incidents" --end 2026-11-22 >/dev/null 2>&1
  echo "bench-password" | "$build"/src/server/whistle-server admin --database "$server_db" \
    add-user --street 110102099 --role duty_officer bench >/dev/null

  "$build"/src/server/whistle-server --database "$server_db" --listen 127.0.0.1 --port 0 \
    --rate 1000 --burst 1000 >"$work/server.out" 2>"$work/server.log" &
  server_pid=$!
  # shellcheck disable=SC2064
  trap "kill $server_pid 2>/dev/null; rm -rf '$work'" EXIT
  for _ in $(seq 100); do
    grep -q '^listening on ' "$work/server.out" 2>/dev/null && break
    sleep 0.1
  done
  url=$(sed -n 's/^listening on //p' "$work/server.out")
  token=$(curl -sf -H 'Content-Type: application/json' \
            -d '{"user": "bench", "password": "bench-password"}' "$url/api/v1/login" |
          sed -n 's/.*"token": *"\([0-9a-f]*\)".*/\1/p')
  [ -n "$token" ] || { echo "sync: could not sign in" >&2; return 1; }

  # The engine, as a desk would run it (the token from the environment: no keyring here).
  start=$(date +%s.%N)
  WHISTLE_TOKEN=$token "$build"/src/tools/whistlectl --cache "$desk" --server "$url" \
    --user bench --no-keyring sync-once >"$work/sync.out"
  end=$(date +%s.%N)
  engine=$(echo "$end - $start" | bc)

  # The baseline. The empty cache is made (migrated) before the clock starts.
  "$build"/src/tools/whistlectl --cache "$base" status >/dev/null
  mkdir -p "$pages"
  start=$(date +%s.%N)
  curl -sf -H "Authorization: Bearer $token" "$url/api/v1/organisation" -o "$pages/organisation.json"
  local since=0 n=0 more=1
  while [ "$more" = 1 ]; do
    n=$((n + 1))
    curl -sf -H "Authorization: Bearer $token" \
      "$url/api/v1/changes?since=$since&events_since=0&limit=1000" -o "$pages/$n.json"
    read -r since more < <(sqlite3 :memory: \
      "SELECT json_extract(j, '\$.next_since'), json_extract(j, '\$.more')
         FROM (SELECT readfile('$pages/$n.json') AS j)" | tr '|' ' ')
  done
  download=$(echo "$(date +%s.%N) - $start" | bc)
  {
    echo "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = OFF;"
    for i in $(seq 1 "$n"); do
      cat <<SQL
BEGIN IMMEDIATE;
CREATE TEMP TABLE page AS
  SELECT value AS c FROM json_each(readfile('$pages/$i.json'), '\$.changes')
   WHERE json_extract(value, '\$.kind') = 'incident';
INSERT OR REPLACE INTO incident (id, number, street_id, source, category_code, title,
    description, address, lon, lat, grid_id, priority, status, lead_unit_id, reporter_name,
    reporter_phone, reported_at, registered_at, whistled_at, response_due_at, handling_due_at,
    resolved_at, closed_at, legal_review, rating, rework_count, return_count, escalated,
    last_seq, rev, updated_at)
  SELECT json_extract(c, '\$.incident.id'), json_extract(c, '\$.incident.number'),
         json_extract(c, '\$.incident.street_id'), json_extract(c, '\$.incident.source'),
         json_extract(c, '\$.incident.category_code'), json_extract(c, '\$.incident.title'),
         json_extract(c, '\$.incident.description'), json_extract(c, '\$.incident.address'),
         json_extract(c, '\$.incident.lon'), json_extract(c, '\$.incident.lat'),
         json_extract(c, '\$.incident.grid_id'), json_extract(c, '\$.incident.priority'),
         json_extract(c, '\$.incident.status'), json_extract(c, '\$.incident.lead_unit_id'),
         json_extract(c, '\$.incident.reporter_name'), json_extract(c, '\$.incident.reporter_phone'),
         json_extract(c, '\$.incident.reported_at'), json_extract(c, '\$.incident.registered_at'),
         json_extract(c, '\$.incident.whistled_at'), json_extract(c, '\$.incident.response_due_at'),
         json_extract(c, '\$.incident.handling_due_at'), json_extract(c, '\$.incident.resolved_at'),
         json_extract(c, '\$.incident.closed_at'), json_extract(c, '\$.incident.legal_review'),
         json_extract(c, '\$.incident.rating'), json_extract(c, '\$.incident.rework_count'),
         json_extract(c, '\$.incident.return_count'), json_extract(c, '\$.incident.escalated'),
         json_extract(c, '\$.incident.last_seq'), json_extract(c, '\$.incident.rev'),
         json_extract(c, '\$.incident.updated_at')
    FROM page;
INSERT OR REPLACE INTO incident_unit (incident_id, unit_id, role, whistled_at, acknowledged_at,
    returned_at, return_reason)
  SELECT json_extract(c, '\$.incident.id'), json_extract(u.value, '\$.unit_id'),
         CASE WHEN json_extract(u.value, '\$.lead') THEN 'lead' ELSE 'cooperating' END,
         json_extract(u.value, '\$.whistled_at'), json_extract(u.value, '\$.acknowledged_at'),
         json_extract(u.value, '\$.returned_at'), json_extract(u.value, '\$.return_reason')
    FROM page, json_each(c, '\$.incident.units') AS u;
INSERT OR IGNORE INTO incident_event (id, incident_id, seq, action, from_status, to_status,
    actor_id, actor_name, actor_role, unit_id, at, note, payload)
  SELECT json_extract(e.value, '\$.id'), json_extract(e.value, '\$.incident_id'),
         json_extract(e.value, '\$.seq'), json_extract(e.value, '\$.action'),
         json_extract(e.value, '\$.from_status'), json_extract(e.value, '\$.to_status'),
         json_extract(e.value, '\$.actor_id'), json_extract(e.value, '\$.actor_name'),
         json_extract(e.value, '\$.actor_role'), json_extract(e.value, '\$.unit_id'),
         json_extract(e.value, '\$.at'), json_extract(e.value, '\$.note'),
         json(json_extract(e.value, '\$.payload'))
    FROM page, json_each(c, '\$.events') AS e;
UPDATE sync_state SET cursor = json_extract(readfile('$pages/$i.json'), '\$.next_since');
DROP TABLE temp.page;
COMMIT;
SQL
    done
  } >"$work/load.sql"
  sqlite3 "$base" <"$work/load.sql" >/dev/null
  end=$(date +%s.%N)
  baseline=$(echo "$end - $start" | bc)

  kill "$server_pid" 2>/dev/null
  wait "$server_pid" 2>/dev/null || true

  # Both must hold the same street, or the comparison means nothing.
  local mine theirs
  mine=$(sqlite3 "$desk" "SELECT count(*), (SELECT count(*) FROM incident_event),
                                (SELECT count(*) FROM incident_unit) FROM incident")
  theirs=$(sqlite3 "$base" "SELECT count(*), (SELECT count(*) FROM incident_event),
                                  (SELECT count(*) FROM incident_unit) FROM incident")
  if [ "$mine" != "$theirs" ]; then
    echo "sync: the engine's cache ($mine) and the baseline's ($theirs) differ" >&2
    return 1
  fi

  printf '%-28s %10s incidents  %8.1f s  %8.0f incidents/s  (%s events)\n' \
    "first sync (engine)" "$incidents" "$engine" "$(echo "$incidents / $engine" | bc -l)" \
    "$(echo "$mine" | cut -d'|' -f2)"
  printf '%-28s %10s incidents  %8.1f s  (download %.1f s, load %.1f s)\n' \
    "first sync (curl + sqlite3)" "$incidents" "$baseline" "$download" \
    "$(echo "$baseline - $download" | bc)"
  printf '%-28s %10.2f x  (goal: 2 x or less)\n' "engine / baseline" \
    "$(echo "$engine / $baseline" | bc -l)"
}
