"""指南所要求的附件: each attachment the direction requires is attached, or (when optional)
marked not applicable with a reason; where the caller checked the files (an
`AttachmentStates` map, wizard.attachments), each is still there and unchanged. A path
the map does not hold is not judged (the editor's map, wizard.filestate, holds only the
files read so far).

Pure: the files are read by wizard.attachments, outside the rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from wizard.guide import AttachmentKind, Direction, Guide, guide_index
from wizard.rules.model import Clause, Context, Finding
from wizard.rules.registry import rule


def _kinds(guide: Guide, direction: Direction) -> tuple[tuple[AttachmentKind, Clause], ...]:
    own = {r.id for r in direction.requirements}
    return tuple(
        (
            kind,
            Clause(direction.code if req.id in own else "general", req.item, req.text, req.source),
        )
        for kind, req in guide.attachments_for(direction)
    )


def _required(guide: Guide, direction: Direction) -> tuple[tuple[AttachmentKind, Clause], ...]:
    """The attachments `direction` requires, each with the clause that asks for it: once per
    guide and direction (a direction not of `guide` is worked out every time)."""
    if guide.direction(direction.code) is not direction:
        return _kinds(guide, direction)
    derived = guide_index(guide).derived
    cache_key = ("rules.attachments", direction.code)
    known = derived.get(cache_key)
    if known is None:
        known = derived[cache_key] = _kinds(guide, direction)
    return cast("tuple[tuple[AttachmentKind, Clause], ...]", known)


@rule("attachments_required")
def attachments_required(ctx: Context) -> Iterator[Finding]:
    draft = ctx.draft
    positions = {a.key: i for i, a in reversed(list(enumerate(draft.attachments)))}
    for kind, clause in _required(ctx.guide, ctx.direction):
        i = positions.get(kind.key)
        item = draft.attachments[i] if i is not None else None
        at = f"attachments[{i}]" if i is not None else "attachments"
        if item is not None and item.not_applicable:
            if not kind.optional:
                yield Finding(
                    f"{at}.not_applicable",
                    f"附件“{kind.zh}”为本方向必备，不能标注为不适用：请附上该文件。",
                    f"The attachment '{kind.en}' is required for this direction and cannot be "
                    "marked not applicable: attach the file.",
                    clause=clause,
                )
            elif not item.note.strip():
                yield Finding(
                    f"{at}.note",
                    f"附件“{kind.zh}”已标注为不适用，但未说明原因：请填写说明。",
                    f"The attachment '{kind.en}' is marked not applicable without a reason: "
                    "say why.",
                    clause=clause,
                )
            continue
        if item is None or not item.path.strip():
            extra_zh = "；如不适用，请标注“不适用”并说明" if kind.optional else ""
            extra_en = (
                "; if it does not apply, mark it not applicable and say why"
                if kind.optional
                else ""
            )
            yield Finding(
                at if item is not None else "attachments",
                f"尚未附上“{kind.zh}”：请附上该文件（扫描件 PDF）{extra_zh}。",
                f"'{kind.en}' is not attached yet: attach the file (scanned PDF){extra_en}.",
                clause=clause,
            )
            continue
        path = item.path.strip()
        if not item.sha256:
            # A path typed but never read: nothing says which file, of what content, it is.
            yield Finding(
                f"{at}.path",
                f"附件“{kind.zh}”的文件 {path} 尚未附上（未读取其大小和 SHA-256）："
                "请在“附件”一节按“附加”读取该文件。",
                f"The file {path} of the attachment '{kind.en}' is not attached yet (its size "
                "and SHA-256 were never read): press Attach in the Attachments section.",
                clause=clause,
            )
            continue
        if ctx.attachments is None:
            continue  # files not checked here
        state = ctx.attachments.get(path)
        if state is None:
            continue  # not read yet (the editor reads the files in the background)
        if state.problem:
            why_zh, why_en = {
                "not_regular": ("不是普通文件", "is not a regular file"),
                "unreadable": ("无法读取", "cannot be read"),
                "outside": (
                    "不在申报书所在文件夹内（附件路径须相对于该文件夹）",
                    "is outside the draft's folder (paths are relative to it)",
                ),
                "too_large": ("过大（超过 512 MiB）", "is too large (over 512 MiB)"),
            }.get(state.problem, ("已不存在", "is no longer there"))
            yield Finding(
                f"{at}.path",
                f"附件“{kind.zh}”的文件 {path} {why_zh}：请重新附上。",
                f"The file {path} of the attachment '{kind.en}' {why_en}: attach it again.",
                clause=clause,
            )
        elif state.sha256 != item.sha256 or (item.size is not None and state.size != item.size):
            yield Finding(
                f"{at}.sha256",
                f"附件“{kind.zh}”的文件 {path} 在附上后已被修改（大小或 SHA-256 与记录不同）："
                "请核实内容，并重新附上。",
                f"The file {path} of the attachment '{kind.en}' changed after it was attached "
                "(its size or SHA-256 differs from the record): check it and attach it again.",
                clause=clause,
            )
