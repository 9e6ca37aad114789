#!/usr/bin/env bash
# Records which functions of the release binary an idle session runs (start-up, the first
# frame, the token exchange against the simulator, a few seconds of countdown) and writes their
# mangled names to assets/link-order.txt, sorted, for src/build.rs to hand to the
# linker. Needs valgrind, tmux and python3. Run it after a dependency update, then build the
# release again and check the idle figure with `cargo bench --bench process`.
#
# The names are recorded twice: from `cargo build --release` (what users run) and from the
# binary `cargo bench` builds (the dev-dependencies' features change the dependencies' symbol
# names); the file lists both.
#
#   bash benches/link-order.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/younium-tui
work=$(mktemp -d)
trap 'tmux kill-session -t link-order 2>/dev/null || true; rm -rf "$work"' EXIT

record() {
  port=$((40000 + RANDOM % 20000))
  rm -f "$work/cg.out"
  "$bin" simulate --port "$port" >/dev/null 2>&1 &
  sim=$!
  sleep 1
  # The demo tenant's credentials (younium-simulator's demo module).
  secret=nordlys-demo-secret-Vq7Lk2Rx9Pw4
  client=1f9f7812-f445-402c-8c60-fb1916c4d186
  tmux new -d -s link-order -x 120 -y 40 \
    "YOUNIUM_SECRET=$secret valgrind --tool=callgrind --demangle=no \
     --callgrind-out-file=$work/cg.out $bin --base-url http://127.0.0.1:$port \
     --client-id $client --legal-entity 'Nordlys Software AB' --history $work/h.sqlite3 \
     2>$work/valgrind.log"
  for _ in $(seq 1 120); do
    sleep 1
    tmux capture-pane -p -t link-order | grep -q " VALID " && break
  done
  sleep 5
  tmux send-keys -t link-order C-c
  for _ in $(seq 1 60); do [ -s "$work/cg.out" ] && break; sleep 1; done
  sleep 2
  kill $sim 2>/dev/null || true
  python3 - "$work/cg.out" >> "$work/names" <<'PY'
import re, sys
# callgrind names an object or a function in full once, then by its number. A function
# appears as `fn=` (it ran) or `cfn=` (it was called), in the object of the `ob=` before it,
# or of `cob=` for a callee (the caller's object when there is none).
objects, names, order = {}, {}, []
ob = cob = ""
for line in open(sys.argv[1]):
    m = re.match(r"^(c?ob)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
    if m:
        kind, number, name = m.groups()
        if name:
            objects[number] = name
        if kind == "ob":
            ob = cob = objects.get(number, "")
        else:
            cob = objects.get(number, "")
        continue
    m = re.match(r"^(c?fn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
    if m:
        kind, number, name = m.groups()
        obj = ob if kind == "fn" else cob
        if kind == "cfn":
            cob = ob
        if name and number not in names:
            names[number] = (name, obj)
            order.append(number)
for number in order:
    name, obj = names[number]
    if obj.endswith("/younium-tui") and not name.startswith("0x"):
        print(name)
PY
}

cargo build --release --locked
record
cargo bench --bench process --no-run --locked
record
# Each name once, sorted: the linker puts them all first, so their order among themselves
# matters little, and a sorted list changes only where the code did.
LC_ALL=C sort -u "$work/names" > assets/link-order.txt
echo "$(wc -l < assets/link-order.txt) functions in assets/link-order.txt"
