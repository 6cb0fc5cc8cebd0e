#!/usr/bin/env bash
# Requests per second of `ecs-ramrole serve` with signature verification on, beside moto's
# server (the closest peer: EC2 DescribeIamInstanceProfileAssociations, moto verifying no
# signature, as by default), under the same wrk load, same run. Not run by CI.
#
#   bash benches/peers/serve.sh            (DURATION=5 CONNECTIONS=32 THREADS=2)
#
# Installs what it needs: wrk (apt-get, the Debian package) when missing, and
# moto[server] into benches/peers/.deps/moto (ignored by git).
#
# Our requests are DescribeInstanceRamRole, signature V1, each signed once with its own
# nonce by sign_requests.py (the standard library, not this crate) and sent once by
# replay.lua: a replayed nonce would be refused. The table reports any non-2xx answers.
set -euo pipefail
cd "$(dirname "$0")"
here=$(pwd)
root=$(cd ../.. && pwd)
duration=${DURATION:-5}
connections=${CONNECTIONS:-32}
threads=${THREADS:-2}
deps="$here/.deps"
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

if ! command -v wrk >/dev/null; then
  echo "== installing wrk (apt-get)"
  (apt-get install -y wrk || (apt-get update && apt-get install -y wrk)) >/dev/null
fi
if [ ! -f "$deps/moto/.installed" ]; then
  echo "== installing moto[server] into $deps/moto"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    --target "$deps/moto" 'moto[server]'
  touch "$deps/moto/.installed"
fi
moto_version=$(PYTHONPATH="$deps/moto" python3 -c 'import moto; print(moto.__version__)')

echo "== building ecs-ramrole (release)"
(cd "$root" && cargo build --quiet --release --bin ecs-ramrole)
bin="$root/target/release/ecs-ramrole"

cat > "$work/state.json" <<'JSON'
{"instances": [{"region": "cn-hangzhou", "id": "i-1", "network_type": "vpc", "ram_role": "EcsRole"}],
 "roles": [{"name": "EcsRole", "ecs_trusted": true}],
 "access_keys": [{"id": "benchid", "secret": "benchsecret", "can_pass_role": true}]}
JSON

# wrk's result line and its non-2xx count.
rate() { grep -E '^Requests/sec' "$1" | awk '{print $2}'; }
non2xx() { local n; n=$(grep -E 'Non-2xx' "$1" | awk '{print $NF}' || true); echo "${n:-0}"; }
load() { # url out lua|- [header]
  local script=()
  [ "$3" != - ] && script=(-s "$3")
  REQUESTS_FILE="$work/requests.txt" WRK_THREADS=$threads \
    wrk -t"$threads" -c"$connections" -d"${duration}s" "${script[@]}" ${4:+-H "$4"} "$1" > "$2"
}

echo "== ecs-ramrole serve (verifying)"
"$bin" serve --listen 127.0.0.1:0 --state "$work/state.json" > "$work/ours.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/ours.out" ] && break; sleep 0.1; done
ours=$(head -1 "$work/ours.out" | sed 's/^listening on //')
# Enough unique requests for the run at up to 100k requests a second.
python3 "$here/sign_requests.py" $((duration * 100000)) benchid benchsecret "$work/requests.txt"
curl -sf "$ours$(head -1 "$work/requests.txt")" > /dev/null
load "$ours" "$work/ours.wrk" "$here/replay.lua"
cat "$work/ours.wrk"

echo "== moto $moto_version (EC2, no signature check)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PYTHONPATH="$deps/moto" python3 -m moto.server -H 127.0.0.1 -p "$port" > "$work/moto.out" 2>&1 &
pids+=($!)
moto="http://127.0.0.1:$port/?Action=DescribeIamInstanceProfileAssociations&Version=2016-11-15"
for _ in $(seq 100); do curl -s "$moto" > /dev/null 2>&1 && break; sleep 0.2; done
# moto's single server routes by the credential scope of the Authorization header (the
# signature itself is not checked): this one says EC2 in us-east-1.
auth="Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261130/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0"
answer=$(curl -sf -H "$auth" "$moto")
echo "$answer" | head -c 300; echo
case "$answer" in
  *DescribeIamInstanceProfileAssociationsResponse*) ;;
  *) echo "moto did not answer as EC2" >&2; exit 1 ;;
esac
load "$moto" "$work/moto.wrk" - "$auth"
cat "$work/moto.wrk"

r_ours=$(rate "$work/ours.wrk"); r_moto=$(rate "$work/moto.wrk")
echo
echo "| server | operation | requests/s | non-2xx |"
echo "|---|---|---:|---:|"
echo "| ecs-ramrole serve (V1 verified) | DescribeInstanceRamRole | $r_ours | $(non2xx "$work/ours.wrk") |"
echo "| moto $moto_version server | DescribeIamInstanceProfileAssociations | $r_moto | $(non2xx "$work/moto.wrk") |"
python3 -c "print(f'ratio: {float(\"$r_ours\") / float(\"$r_moto\"):.0f}x moto (target: at least 100x)')"
echo "wrk -t$threads -c$connections -d${duration}s, $(nproc) CPUs, same run"
