#!/usr/bin/env bash
# The command the conformance harness runs for this adapter (protocol 1; one-shot or
# --persistent, the adapter handles both):
#
#   ecs-ramrole check --adapter 'bash tools/sdk-adapters/python-core/run.sh v1' --persistent
#
# aliyun-python-sdk-core signs with signature V1 (HMAC-SHA1) only, so the one mode is v1.
# Works from any directory. Needs `bash install.sh` (in this folder) to have run once.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mode=${1:-v1}
if [ "$mode" != v1 ]; then
  echo "run.sh: unknown mode '$mode' (the legacy core has one: v1)" >&2; exit 2
fi
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
