"""What the Python SDK adapters share: the protocol-1 shell (corpus/README.md), verdict
helpers and the loop that reads one envelope per line and writes one verdict per line,
flushed, and the rendering of an envelope's InstanceIds.
What each SDK computes stays in its own adapter; this module never touches an SDK.
Python standard library only."""

import json
import sys
import traceback


def unsupported(reason):
    return {"outcome": "unsupported", "reason": reason}


def reject(kind, message):
    return {"outcome": "reject", "reject_kind": kind, "message": message}


def instance_ids_text(value):
    """The SDKs type InstanceIds as a string (JSON text). A list in the envelope is the
    caller's list of IDs: the adapter, as the caller, renders it in the contract's
    canonical form; raw text is passed as it is."""
    if isinstance(value, list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return value


def answer(line, handlers, reset):
    """The verdict for one envelope line. `handlers` maps a kind to its function;
    `reset` clears the adapter's per-envelope state, before and after each envelope."""
    try:
        env = json.loads(line)
    except ValueError as exc:
        return unsupported(f"not a JSON envelope: {exc}")
    if not isinstance(env, dict) or env.get("protocol") != 1:
        return unsupported('not a protocol 1 envelope (no "protocol": 1)')
    kind = env.get("kind")
    if kind == "incoming":
        return unsupported("the SDK is a client: it has no server-side verification")
    if kind not in handlers:
        return unsupported(f"unknown kind {kind!r}")
    reset()
    try:
        return handlers[kind](env)
    except Exception as exc:  # a bug in the adapter, never the SDK's answer
        traceback.print_exc(file=sys.stderr)
        return unsupported(f"adapter error (not the SDK): {type(exc).__name__}: {exc}")
    finally:
        reset()


def encode(verdict):
    """One line of JSON. A string the SDK produced that is not Unicode text (a lone
    surrogate that Python's json.loads lets through) cannot travel in a UTF-8 JSON
    verdict: say so instead of sending a line the harness cannot read."""
    try:
        json.dumps(verdict, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start : exc.end]
        verdict = unsupported(
            f"the SDK's {verdict.get('outcome')} verdict holds {bad!r}, a lone surrogate it "
            "decoded without complaint (Python's json.loads keeps it); a protocol-1 verdict "
            "is UTF-8 JSON and cannot carry it"
        )
    return json.dumps(verdict, ensure_ascii=True)


def serve(verdicts, handlers, reset=lambda: None):
    """Answers every envelope on stdin until it closes. `verdicts` is the real stdout
    (the adapter points sys.stdout at stderr, so that what the SDK prints stays apart)."""
    for line in sys.stdin:
        if not line.strip():
            continue
        verdicts.write(encode(answer(line, handlers, reset)) + "\n")
        verdicts.flush()
