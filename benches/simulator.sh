#!/usr/bin/env bash
# The simulator's figures (issue "The whole API offline"): how soon `simulate` answers after
# its start with the default tenant and with `--records 100000`, and how long one record made
# from the spec takes to answer (1000 GETs on one connection). Needs curl and python3; uses
# farm-bench for the start-up figures when it is there. Release build:
#
#   cargo build --release && bash benches/simulator.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/younium-tui
port=$((40000 + RANDOM % 20000))
work=$(mktemp -d)
trap 'kill "${sim:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

# Starts simulate with the given flags, returns once a call answers, stops it.
cat > "$work/ready.sh" <<EOF
#!/usr/bin/env bash
$bin simulate --port $port "\$@" >/dev/null 2>&1 &
pid=\$!
until curl -s -o /dev/null -X POST http://127.0.0.1:$port/auth/token -d '{}'; do sleep 0.002; done
kill \$pid; wait \$pid 2>/dev/null || true
EOF
chmod +x "$work/ready.sh"
for flags in "" "--records 100000"; do
  echo "== simulate $flags: started until it answers"
  if command -v farm-bench >/dev/null; then
    farm-bench -n 5 --timeout 300 -- "$work/ready.sh" $flags | grep -E "wall|peak"
  else
    /usr/bin/time -f "%e s, %M kB" "$work/ready.sh" $flags
  fi
done

echo "== a record made from the spec (GET /ChartOfAccounts/{id}), 1000 times on one connection"
"$bin" simulate --port "$port" >/dev/null 2>&1 &
sim=$!
until curl -s -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.01; done
token=$(curl -s -X POST "http://127.0.0.1:$port/auth/token" -H 'content-type: application/json' \
  -d '{"clientId":"1f9f7812-f445-402c-8c60-fb1916c4d186","secret":"nordlys-demo-secret-Vq7Lk2Rx9Pw4"}' |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["accessToken"])')
headers=(-H "Authorization: Bearer $token" -H "legal-entity: Nordlys Software AB" -H "api-version: 2.1")
id=$(curl -s "${headers[@]}" "http://127.0.0.1:$port/ChartOfAccounts" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["data"][0]["id"])')
for _ in $(seq 1 1000); do
  printf 'url = "http://127.0.0.1:%s/ChartOfAccounts/%s"\noutput = /dev/null\n' "$port" "$id"
done > "$work/urls"
curl -s "${headers[@]}" -K "$work/urls" -w '%{time_total}\n' | sort -n |
  awk '{t[NR] = $1} END {printf "median %.3f ms, p99 %.3f ms, max %.3f ms\n", t[int(NR / 2)] * 1000, t[int(NR * 0.99)] * 1000, t[NR] * 1000}'
