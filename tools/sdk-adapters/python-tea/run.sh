#!/usr/bin/env bash
# The command the conformance harness runs for this adapter (protocol 1; one-shot or
# --persistent, the adapter handles both):
#
#   ecs-ramrole check --adapter 'bash tools/sdk-adapters/python-tea/run.sh v3' --persistent
#   ecs-ramrole check --adapter 'bash tools/sdk-adapters/python-tea/run.sh v2' --persistent
#
# Mode v3: the client as configured by default (ACS3-HMAC-SHA256).
# Mode v2: Config.signature_algorithm = 'v2' (signature V1, HMAC-SHA1).
# Works from any directory. Needs `bash install.sh` (in this folder) to have run once.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mode=${1:-v3}
case "$mode" in
  v3|v2) ;;
  *) echo "run.sh: unknown mode '$mode' (use v3 or v2)" >&2; exit 2 ;;
esac
if [ ! -f "$here/.deps/.installed" ]; then
  echo "run.sh: the SDK is not installed; run: bash $here/install.sh" >&2
  exit 3
fi
export PYTHONPATH="$here/.deps"
# Keep the run independent of the caller's environment: the SDKs read these.
unset ALIYUN_ACCESS_KEY_ID ALIYUN_ACCESS_KEY_SECRET ALIBABA_CLOUD_ACCESS_KEY_ID \
  ALIBABA_CLOUD_ACCESS_KEY_SECRET ALIBABA_CLOUD_SECURITY_TOKEN ALIBABA_CLOUD_USER_AGENT DEBUG
export PYTHONNOUSERSITE=1
export PYTHONDONTWRITEBYTECODE=1
exec "${PYTHON:-python3}" "$here/adapter.py" "$mode"
