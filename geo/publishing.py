"""Loading an archive: plan files drafted and published into the plan store, many at once (``python -m geo publish``).

Each file (.txt, .docx, .pdf; folders are searched for them) is decoded as the Import page decodes an upload,
drafted by `geo.importer.draft.draft_plan` under the jurisdiction it detects, and published with
`geo.store.PlanStore.save`, which indexes it in the same transaction. A text already in the store is skipped
before it is drafted (`PlanStore.published_text`), so running the command again over the same folder
publishes nothing twice. A file that cannot be read, has no clause, names no jurisdiction, or whose content an
administrator withdrew is reported with its reason; the others go on.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

__all__ = ["PLAN_SUFFIXES", "Outcome", "plan_files", "publish_file", "publish_paths"]

PLAN_SUFFIXES = (".txt", ".docx", ".pdf")
"""The files a folder is searched for."""


@dataclass(frozen=True)
class Outcome:
    """What became of one file.

    Attributes
    ----------
    path : str
    status : {"published", "skipped", "failed"}
        Published now; skipped as already in the store; failed (``reason`` says why).
    plan : str
        The stored plan's id ("" when it failed).
    reason : str
        Why it failed, in one line ("" otherwise).
    title : str
    """

    path: str
    status: str
    plan: str = ""
    reason: str = ""
    title: str = ""


def plan_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Outcome]]:
    """The plan files named or lying under folders named (sorted, each once), and the paths that are neither."""
    found: dict[Path, None] = {}
    missing = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                if f.is_file() and f.suffix.lower() in PLAN_SUFFIXES and not f.name.startswith("."):
                    found.setdefault(f, None)
        elif path.is_file():
            found.setdefault(path, None)
        else:
            missing.append(Outcome(str(raw), "failed", reason="无此文件或文件夹 / no such file or folder"))
    return list(found), missing


def publish_file(path: Path, store: Any, *, listed: bool = True, owner: str = "cli",
                 gazetteer: Any = None) -> Outcome:
    """Draft and publish one plan file into ``store``; never raises for a bad file (the outcome says why)."""
    from geo.importer.draft import draft_plan
    from geo.store import PlanWithdrawn, StoreError
    from geo.text.decode import PlanTextError, read_upload_file

    try:
        text = read_upload_file(path).text
    except PlanTextError as exc:
        return Outcome(str(path), "failed", reason=str(exc))
    except OSError as exc:
        return Outcome(str(path), "failed", reason=f"无法读取 / cannot read: {exc.strerror or exc}")
    known = store.published_text(text)
    if known:
        return Outcome(str(path), "skipped", known)
    draft = draft_plan(text, gazetteer)
    if not draft.outline.clauses:
        return Outcome(str(path), "failed", reason="文本中没有可识别的条文 / no clause found in this text")
    j = draft.jurisdiction
    if not j.adcode:
        return Outcome(str(path), "failed", title=draft.title,
                       reason="未能确定规划所辖的行政区，请在导入页面指定 / no jurisdiction found: import it on the "
                              "Import page and choose one")
    juris = {"adcode": j.adcode, "name": j.name, "level": j.level, "stated": j.stated, "reason": j.reason}
    title = draft.title or path.stem
    try:
        plan_id = store.save(title, draft.text, juris, draft.collection, owner=owner, listed=listed)
    except PlanWithdrawn:
        return Outcome(str(path), "failed", title=title,
                       reason="该规划内容已被管理员撤下 / an administrator withdrew this content")
    except StoreError as exc:
        return Outcome(str(path), "failed", title=title, reason=str(exc))
    return Outcome(str(path), "published", plan_id, title=title)


def publish_paths(paths: Sequence[str | Path], *, listed: bool = True, owner: str = "cli", store: Any = None,
                  out: TextIO | None = None, err: TextIO | None = None,
                  progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None) -> int:
    """Publish every plan file under ``paths``; print each id, then a summary. The command's exit status:
    0 when nothing failed, 1 when a file failed, 2 when there is no store or no file at all."""
    from geo.store import StoreError, default_store

    out = out or sys.stdout
    err = err or sys.stderr
    files, outcomes = plan_files(paths)
    if not files:
        for o in outcomes:
            print(f"error: {o.path}: {o.reason}", file=err)
        print(f"error: 没有找到规划文件 / no plan file found ({', '.join(PLAN_SUFFIXES)})", file=err)
        return 2
    try:
        store = store or default_store()
    except StoreError as exc:
        print(f"error: {exc}", file=err)
        return 2
    from geo.places.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    if progress is None:
        from tqdm import tqdm

        def progress(items: Iterable[Path]) -> Iterable[Path]:
            return tqdm(items, total=len(files), desc="publish", unit="plan", file=err, dynamic_ncols=True)

    for path in progress(files):
        outcome = publish_file(path, store, listed=listed, owner=owner, gazetteer=gazetteer)
        outcomes.append(outcome)
        if outcome.plan:
            print(f"{outcome.status}\t{outcome.plan}\t{outcome.path}", file=out, flush=True)
    counts = {s: sum(o.status == s for o in outcomes) for s in ("published", "skipped", "failed")}
    print(f"已发布 {counts['published']} · 已存在跳过 {counts['skipped']} · 失败 {counts['failed']}"
          f" / published {counts['published']}, skipped as already there {counts['skipped']},"
          f" failed {counts['failed']}", file=out)
    for o in outcomes:
        if o.status == "failed":
            print(f"failed\t{o.path}\t{o.reason}", file=out)
    return 1 if counts["failed"] else 0
