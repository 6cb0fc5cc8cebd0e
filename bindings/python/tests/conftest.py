"""Shared fixtures: the repository, its corpus, and the `ecs-ramrole` command."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

HERE = Path(__file__).resolve().parent
BINDING = HERE.parent
REPO = BINDING.parent.parent
CORPUS = REPO / "corpus"


def corpus_cases() -> List[Dict[str, Any]]:
    """Every case file of the corpus, as listed by its index."""
    index = json.loads((CORPUS / "index.json").read_text(encoding="utf-8"))
    return [
        json.loads((CORPUS / f"{entry['id']}.json").read_text(encoding="utf-8"))
        for entry in index["cases"]
    ]


def case(case_id: str) -> Dict[str, Any]:
    """One corpus case by ID."""
    return json.loads((CORPUS / f"{case_id}.json").read_text(encoding="utf-8"))


def case_body(case_id: str) -> bytes:
    """A response case's body file, byte-exact."""
    c = case(case_id)
    return (CORPUS / Path(case_id).parent / c["body_file"]).read_bytes()


def cases_of(kind: str) -> Iterator[Dict[str, Any]]:
    return (c for c in corpus_cases() if c["kind"] == kind)


@pytest.fixture(scope="session")
def ecs_ramrole_bin() -> str:
    """The `ecs-ramrole` command: $ECS_RAMROLE_BIN, else built here with cargo."""
    given = os.environ.get("ECS_RAMROLE_BIN")
    if given:
        return given
    built = subprocess.run(
        ["cargo", "build", "--bin", "ecs-ramrole", "--message-format=json-render-diagnostics"],
        cwd=REPO,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    for line in built.stdout.splitlines():
        message = json.loads(line)
        if message.get("reason") == "compiler-artifact" and message.get("executable"):
            if message["target"]["name"] == "ecs-ramrole":
                return message["executable"]
    raise RuntimeError("cargo built no ecs-ramrole executable")
