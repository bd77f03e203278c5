"""Layout holds at 80×24 and 120×40 in Chinese and English (issue 10, obs. 7)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from textual.pilot import Pilot
from textual.widgets import Footer, Input, Select, Static

from screens._textual_compat import FooterKey
from tests.factories import clean_draft
from tests.helpers import (
    checked,
    editor,
    editor_ready,
    make_app,
    overlay_open,
    screen_text,
    settle_until,
    wait_check,
    widget_for,
)
from wizard.draft import Unit
from wizard.guide import Guide
from wizard.store import save_draft

SIZES = [(80, 24), (120, 40)]
LONG_TITLE = "面向碳中和的新型储能材料联合研究" * 106 + "终"  # 1,697 characters
# The counts, completeness and status columns' names: full, or short where narrow.
HEADERS = {
    "zh": (("错误/警告", "错/警"), ("完成度", "完成"), ("状态",)),
    "en": (("Errors/warnings", "Err/warn"), ("Complete", "Done"), ("Status",)),
}


def drafts(tmp_path: Path, guide: Guide) -> Path:
    long = clean_draft(guide, "1.4")
    long.project.title = LONG_TITLE
    save_draft(long, tmp_path / "long-title.toml")
    short = clean_draft(guide, "2.1")
    save_draft(short, tmp_path / "short.toml")
    return tmp_path / "long-title.toml"


def lines(pilot: Pilot[Any]) -> list[str]:
    return screen_text(pilot.app).splitlines()  # type: ignore[arg-type]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_home_cuts_titles_so_counts_and_status_show(
    tmp_path: Path, guide: Guide, lang: str, size: tuple[int, int]
) -> None:
    drafts(tmp_path, guide)
    app = make_app(tmp_path, guide, lang=lang)
    async with app.run_test(size=size) as pilot:
        await checked(pilot)

        def row_of(shown: list[str]) -> str:
            return next((li for li in shown if li.strip().startswith("long-title.toml")), "")

        # Until the checked rows (counts, completeness) are shown.
        await settle_until(pilot, lambda: "100%" in row_of(lines(pilot)))
        shown = lines(pilot)
        row = row_of(shown)
        header = next(line for line in shown if line.strip().startswith(("文件", "File")))
        for names in HEADERS[lang]:
            assert any(name in header for name in names), (names, header)
        if size[0] >= 100:  # wide: the full names
            assert all(names[0] in header for names in HEADERS[lang]), header
        assert "…" in row  # the title, cut
        assert row.rstrip().endswith("草稿" if lang == "zh" else "draft"), row
        assert "100%" in row
        for line in shown:
            assert cell_len(line) <= size[0]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_editor_header_cuts_a_long_title(
    tmp_path: Path, guide: Guide, lang: str, size: tuple[int, int]
) -> None:
    """A 1,697-character title left the header with no title at all."""
    path = drafts(tmp_path, guide)
    app = make_app(tmp_path, guide, lang=lang, open_path=path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        header = lines(pilot)[0]
        assert "面向碳中和的新型" in header
        assert header.endswith("…")
        assert cell_len(header) <= size[0] - 2  # the bar's padding
        # Typing into the title keeps it fitted.
        ed = editor(app)
        widget_for(ed, "project.title").value = "短标题"
        await wait_check(pilot)  # the header follows the check
        assert lines(pilot)[0].endswith("短标题")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("where", ["home", "editor"])
async def test_footer_keys_fit(
    tmp_path: Path, guide: Guide, lang: str, size: tuple[int, int], where: str
) -> None:
    """`f3 Cla`: the footer was cut at the screen's edge; now whole keys are left out."""
    path = drafts(tmp_path, guide)
    app = make_app(tmp_path, guide, lang=lang, open_path=path if where == "editor" else None)
    async with app.run_test(size=size) as pilot:
        if where == "editor":
            await editor_ready(pilot)
        await checked(pilot)
        footer = app.screen.query_one(Footer)

        def laid_out() -> list[FooterKey]:
            keys = list(footer.query(FooterKey))
            return keys if keys and all(k.region.width for k in keys) else []

        await settle_until(pilot, lambda: bool(laid_out()))
        keys = laid_out()
        palette = [k for k in keys if k.has_class("-command-palette")]
        assert palette, "the palette key is shown"
        others = [k for k in keys if k not in palette]
        assert len(others) >= 4
        for key in others:
            assert key.region.right <= palette[0].region.x, (key.description, key.region)
            assert cell_len(key.description) + cell_len(key.key_display) + 3 == key.region.width


@pytest.mark.parametrize("pattern", ["project.title_en", "tasks[].budget.*.basis"])
async def test_empty_compact_fields_are_visible(tmp_path: Path, guide: Guide, pattern: str) -> None:
    """At 80×24 the fields have no border: an empty one was all but the form's background
    (`project.title_en` empty is an error; a budget category's 测算依据 may stay empty)."""
    draft = clean_draft(guide, "1.4")
    draft.project.title_en = ""
    category = guide.form.direct_keys[-1]
    pattern = pattern.replace("*", category)
    draft.tasks[0].budget[category].basis = ""
    draft.meta.last_section = "budget" if pattern.startswith("tasks") else "project"
    path = tmp_path / "d.toml"
    save_draft(draft, path)
    app = make_app(tmp_path, guide, lang="en", open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        ed = await editor_ready(pilot)
        await ed.goto_path(pattern.replace("[]", "[0]"))
        await pilot.wait_for_scheduled_animations()  # scrolled to the field
        app.screen.set_focus(None)
        await settle_until(pilot, lambda: app.screen.focused is None)
        await pilot.pause()  # drawn without the focus
        field = widget_for(ed, pattern)
        assert isinstance(field, Input) and field.compact and not field.value
        box = ed.current_form.boxes[pattern]
        # A budget field is its own box, its label a widget of its own (BasisField.label).
        label = getattr(box, "label", None) or box.query_one(".field-label")
        screen = app.screen
        inside = screen.get_style_at(field.region.x + 5, field.region.y).bgcolor
        beside = screen.get_style_at(label.region.right + 2, label.region.y).bgcolor
        assert inside is not None and beside is not None
        # Visibly different (20 levels a channel), not a shade lost in the background.
        distance = sum(abs(a - b) for a, b in zip(inside.triplet, beside.triplet, strict=True))
        assert distance >= 60, (inside, beside)  # Textual's own: 36


async def test_dropdown_stays_above_the_footer(tmp_path: Path, guide: Guide) -> None:
    """The 所在单位 list of a draft with many units spilled over the status bar and footer."""
    draft = clean_draft(guide, "1.4")
    draft.units += [Unit(name=f"参与单位第{i}号研究所", kind="institute") for i in range(12)]
    draft.meta.last_section = "team"
    path = tmp_path / "d.toml"
    save_draft(draft, path)
    app = make_app(tmp_path, guide, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        ed = await editor_ready(pilot)
        await ed.goto_path("team[0].unit")
        await pilot.pause()
        select = widget_for(ed, "team[].unit")
        assert isinstance(select, Select)
        overlay = await overlay_open(pilot, select)
        status = ed.query_one("#statusbar", Static)
        assert overlay.region.height >= 6
        assert overlay.region.bottom <= status.region.y
        assert overlay.region.bottom <= ed.query_one(Footer).region.y
        # Nor across the problems panel's divider (below the form at 80×24).
        assert overlay.region.bottom <= ed.query_one("#problems").region.y


async def test_open_list_is_not_drawn_across_the_divider(tmp_path: Path, guide: Guide) -> None:
    """At 80×24 the topic's list opened over the problems panel's top border."""
    draft = clean_draft(guide, "1.4")
    draft.meta.last_section = "project"
    path = tmp_path / "d.toml"
    save_draft(draft, path)
    app = make_app(tmp_path, guide, lang="en", open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        ed = await editor_ready(pilot)
        await ed.goto_path("project.topic")
        await pilot.pause()
        select = widget_for(ed, "project.topic")
        overlay = await overlay_open(pilot, select)
        divider = ed.query_one("#problems").region.y  # its first line is the border
        assert overlay.region.height >= 2
        assert overlay.region.bottom <= divider, (overlay.region, divider)
        assert overlay.region.y >= ed.query_one("#form-area").region.y


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_budget_labels_are_not_cut(tmp_path: Path, guide: Guide, lang: str) -> None:
    """`出版/文献/信 …` in the budget's chart: every category's label whole in the matrix,
    the gauge's labels whole in the figures."""
    draft = clean_draft(guide, "1.4")
    draft.meta.last_section = "budget"
    path = tmp_path / "d.toml"
    save_draft(draft, path)
    app = make_app(tmp_path, guide, lang=lang, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        ed = await editor_ready(pilot)
        form = ed.current_form
        labels = {str(w.render()).strip(): w for w in form.query(".brow > .blabel")}
        for category in guide.form.categories:
            name = category.en if lang == "en" else category.zh
            widget = labels[name]
            assert cell_len(name) <= widget.region.width * widget.region.height, name
        stats = str(ed.query_one("#budget-stats", Static).render())
        for name in (
            ("本方向平均每项", "本方向拟支持经费")
            if lang == "zh"
            else ("Direction funding in all", "Direction average per project")
        ):
            assert name in stats, name
        assert "…" not in stats


@pytest.mark.parametrize("size", [(100, 30), (120, 40)])
async def test_blank_choice_is_not_cut(tmp_path: Path, guide: Guide, size: tuple[int, int]) -> None:
    """The open list's first line read `请选` (the list lies over the form's edges)."""
    draft = clean_draft(guide, "1.4")
    draft.meta.last_section = "project"
    path = tmp_path / "d.toml"
    save_draft(draft, path)
    app = make_app(tmp_path, guide, open_path=path)
    async with app.run_test(size=size) as pilot:
        ed = await editor_ready(pilot)
        select = widget_for(ed, "project.field")
        select.focus()
        await pilot.pause()
        await overlay_open(pilot, select)
        shown = screen_text(app)
        assert "请选择" in shown
        assert not [line for line in shown.splitlines() if "请选" in line and "请选择" not in line]
