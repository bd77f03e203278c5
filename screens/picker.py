"""The direction picker: the guide's directions, filter as you type, every requirement shown."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from screens._textual_compat import OrderedInput, set_localized_bindings
from screens.footer import FittingFooter
from screens.styles import SEV_STYLE
from wizard.catalogue import clause_where, t
from wizard.guide import Direction, Guide


def direction_detail(guide: Guide, d: Direction, lang: str) -> Text:
    en = lang == "en"
    out = Text()
    out.append(f"{d.code}  {d.title_en if en else d.title}\n", "bold")
    if en:
        out.append(d.title + "\n", "dim")
    out.append(f"{t('picker.partner', lang)}: ", "bold")
    out.append((d.partner.en if en else d.partner.zh) + "\n")
    if d.h2020:
        out.append("★ " + t("picker.h2020", lang) + "\n", "magenta")
    out.append(f"{t('picker.agreements', lang)}:\n", "bold")
    for a in d.agreements:
        # No space after the bullet: a space would let the wrapper push a long,
        # space-less Chinese title onto the next line, leaving the bullet alone.
        out.append(f"  ·{a}\n")
    out.append(f"{t('picker.fields', lang)}: ", "bold")
    if d.fields.mode != "listed" or not d.fields.items:
        out.append(d.fields.text)
    out.append("\n")
    for f in d.fields.items:
        out.append(f"  · {f.en if en else f.zh}\n")
        for tp in f.topics:
            code = f"{tp.code} " if tp.code else ""
            out.append(f"      - {code}{tp.en if en else tp.zh}\n", "dim")
    p, money = d.projects, d.funding
    out.append(f"{t('picker.projects', lang)}: ", "bold")
    out.append((f"{p.span} ({p.wording})" if en else p.text.split("：", 1)[-1]) + "\n")
    out.append(f"{t('picker.funding', lang)}: ", "bold")
    zh_money = money.text.split("：", 1)[-1]
    out.append((money.amount_text(lang) if en else zh_money) + "\n")
    out.append(f"{t('picker.period', lang)}: ", "bold")
    out.append((d.period.en if en else d.period.zh) + "\n")
    if d.agency is not None:
        out.append(f"{t('picker.agency', lang)}: ", "bold")
        out.append(f"{d.agency.en if en else d.agency.zh} ({d.agency.item})\n")
    out.append(f"{t('picker.requirements', lang)}:\n", "bold")
    for code, r in guide.requirements_for(d):
        out.append(f"  {t(f'severity.{r.severity}', lang)}", SEV_STYLE[r.severity])
        out.append(f" [{t('kind.' + r.kind, lang)}] ", "cyan")
        # t("colon") has no space in Chinese: keeps CJK clause text on the same line
        out.append(f"{clause_where(code, lang)}{r.item}{t('colon', lang)}", "dim")
        out.append((r.text_en if en else r.text) + "\n")
    return out


def matches(d: Direction, query: str) -> bool:
    q = query.strip().casefold()
    if not q:
        return True
    hay = " ".join((d.code, d.title, d.title_en, d.partner.zh, d.partner.en)).casefold()
    return all(part in hay for part in q.split())


class PickerScreen(ModalScreen[str | None]):
    """Returns the chosen direction code, or None."""

    DEFAULT_CSS = """
    PickerScreen { align: center middle; }
    PickerScreen > Vertical { width: 100%; height: 100%; background: $surface; }
    PickerScreen #picker-title { text-style: bold; padding: 0 1; background: $primary; color: $text; }
    PickerScreen #picker-body { height: 1fr; }
    PickerScreen #picker-list { width: 2fr; min-width: 30; height: 1fr; }
    PickerScreen #picker-detail { width: 3fr; height: 1fr; border-left: solid $primary; padding: 0 1; }
    PickerScreen.-narrow #picker-body { layout: vertical; }
    PickerScreen.-narrow #picker-list { width: 100%; height: 8; }
    PickerScreen.-narrow #picker-detail { width: 100%; border-left: none; border-top: solid $primary; }
    """

    def __init__(self, guide: Guide, lang: str, current: str | None = None) -> None:
        super().__init__()
        self.guide = guide
        self.lang = lang
        self.current = current
        self.shown: list[Direction] = list(guide.directions)
        self._bindings_lang()

    def _bindings_lang(self) -> None:
        set_localized_bindings(
            self,
            [
                Binding("escape", "cancel", t("key.cancel", self.lang)),
                Binding("enter", "choose", t("key.choose", self.lang), priority=True),
                Binding("down", "move(1)", show=False, priority=True),
                Binding("up", "move(-1)", show=False, priority=True),
            ],
        )

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(t("picker.title", self.lang), id="picker-title")
            yield OrderedInput(placeholder=t("picker.filter", self.lang), id="picker-filter")
            with Horizontal(id="picker-body"):
                yield OptionList(id="picker-list")
                with VerticalScroll(id="picker-detail"):
                    yield Static("", id="picker-text")
            yield FittingFooter()

    def on_mount(self) -> None:
        self.refill()
        if self.current:
            for i, d in enumerate(self.shown):
                if d.code == self.current:
                    self.query_one(OptionList).highlighted = i
        self.query_one(Input).focus()

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100, "-narrow")

    def refill(self) -> None:
        query = self.query_one(Input).value
        self.shown = [d for d in self.guide.directions if matches(d, query)]
        options = self.query_one(OptionList)
        en = self.lang == "en"
        prompts = [
            Option(Text.assemble((f"{d.code} ", "bold"), d.title_en if en else d.title), id=d.code)
            for d in self.shown
        ]
        options.set_options(prompts or [Option(t("picker.none", self.lang), disabled=True)])
        options.highlighted = 0 if self.shown else None
        self.show_detail()

    def show_detail(self) -> None:
        options = self.query_one(OptionList)
        text = self.query_one("#picker-text", Static)
        i = options.highlighted
        if i is None or i >= len(self.shown):
            text.update("")
            return
        text.update(direction_detail(self.guide, self.shown[i], self.lang))
        self.query_one("#picker-detail").scroll_home(animate=False)

    @on(Input.Changed, "#picker-filter")
    def _filter(self) -> None:
        self.refill()

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self.show_detail()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if not self.shown:
            return
        i = options.highlighted or 0
        options.highlighted = max(0, min(len(self.shown) - 1, i + step))

    def action_choose(self) -> None:
        options = self.query_one(OptionList)
        i = options.highlighted
        if i is not None and i < len(self.shown):
            self.dismiss(self.shown[i].code)

    def action_cancel(self) -> None:
        self.dismiss(None)
