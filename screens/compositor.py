"""Wide characters drawn over other widgets stay whole (toasts, dropdowns, dialogs).

Textual's compositor cuts every line of the screen at each widget's left and right edge and
keeps, for each piece, the topmost widget's text. It cuts the text of *every* widget at
*every* edge on that line, including the edges of widgets hidden beneath it; a double-width
character (Chinese) lying across such an edge is split by rich into two spaces. So a
notice drawn over the form loses the words above the form's scrollbar or the problems
panel's border: `已修改：状态改回“    ”。` (Textual issue #6357, open in 8.2.8).

`install()` replaces `Compositor._render_chops` by the same method, except that a widget's
line is not cut where that widget is also the topmost one on both sides of the cut: the
joined piece is kept at the first cut and the pieces it covers are left empty. The one
Textual internal used is that method (and the `cuts` / `_get_renders` it reads); it is
checked by tests/test_tui_widechars.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip

_EMPTY = Strip([], 0)
_original: Callable[..., Any] | None = None


def _render_chops(
    self: Compositor, crop: Region, is_rendered_line: Callable[[int], bool]
) -> Sequence[Mapping[int, Strip]]:
    cuts = self.cuts
    chops: list[dict[int, Strip | None]] = [dict.fromkeys(line[:-1]) for line in cuts]
    # Joining pieces across a cut is safe only inside the crop: every widget overlapping it
    # is rendered, so the topmost widget on each side of such a cut is known.
    crop_left, crop_right = crop.x, crop.right
    intersection = Region.intersection
    for region, clip, strips in self._get_renders(crop):
        render_region = intersection(region, clip)
        render_x = render_region.x
        first_cut, last_cut = render_region.column_span
        for y, strip in zip(render_region.line_range, strips, strict=False):
            if not is_rendered_line(y):
                continue
            line = chops[y]
            final_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
            # The cuts this widget's line is divided at: where the topmost widget changes.
            starts: list[int] = []  # chops this widget wins, each at the start of a run
            joined: list[int] = []  # chops inside a run: covered by the run's piece
            divide_at: list[int] = []
            previous_won = False
            for cut in final_cuts[:-1]:
                won = line.get(cut) is None
                if won and previous_won and crop_left < cut < crop_right:
                    joined.append(cut)
                else:
                    if cut != final_cuts[0]:
                        divide_at.append(cut - render_x)
                    if won:
                        starts.append(cut)
                previous_won = won
            if not joined:  # nothing beneath: as Textual does it
                pieces = strip.divide([cut - render_x for cut in final_cuts[1:]])
                for cut, piece in zip(final_cuts, pieces, strict=False):
                    if line.get(cut) is None:
                        line[cut] = piece
                continue
            divide_at.append(final_cuts[-1] - render_x)
            run_starts = [final_cuts[0], *(cut + render_x for cut in divide_at[:-1])]
            won_starts = set(starts)
            for cut, piece in zip(run_starts, strip.divide(divide_at), strict=False):
                if cut in won_starts:
                    line[cut] = piece
            for cut in joined:
                line[cut] = _EMPTY
    return cast("Sequence[Mapping[int, Strip]]", chops)


def install() -> None:
    """Use `_render_chops` above for every screen (idempotent)."""
    global _original
    if _original is None:
        _original = Compositor._render_chops
        Compositor._render_chops = _render_chops  # type: ignore[method-assign]


def installed() -> bool:
    return _original is not None


def uninstall() -> None:
    """Back to Textual's own (tests compare the two)."""
    global _original
    if _original is not None:
        Compositor._render_chops = _original  # type: ignore[method-assign]
        _original = None
