"""The editor's dialogs when a save cannot be done: the file changed underneath (keep mine,
take theirs, merge), and leaving with text not on disk (retry, resolve, save elsewhere,
recovery copy, stay). The decisions and the writing are the session's (wizard/session.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from wizard.catalogue import t
from wizard.conflict import field_diffs
from wizard.store import draft_data

if TYPE_CHECKING:
    from wizard.draft import Draft
    from wizard.session import EditSession


class SaveFlow(Screen[None]):
    session: EditSession
    lang: str
    _conflict_shown = False
    _asking = False

    if TYPE_CHECKING:

        def flush(self) -> bool: ...
        async def rebuild(self) -> None: ...

    def show_conflict(self, then: Callable[[], Any] | None = None) -> None:
        """The file changed underneath: show how, and let the applicant choose."""
        from screens.dialogs import ConflictDialog

        session = self.session
        if session.conflict is None or self._conflict_shown:
            return
        self._conflict_shown = True
        theirs = session.theirs()
        diffs = field_diffs(draft_data(session.draft), draft_data(theirs)) if theirs else []

        async def chosen(choice: str | None) -> None:
            self._conflict_shown = False
            done = False
            if choice == "mine":
                done = session.keep_mine()
            elif choice == "theirs" and theirs is not None:
                done = session.take_theirs(theirs)
                if done:
                    await self.rebuild()
            elif choice == "merge" and theirs is not None:
                self.ask_merge(theirs, diffs, then)
                return
            if done and then is not None:
                then()

        name = session.path.name
        self.app.push_screen(ConflictDialog(name, diffs, theirs is not None, self.lang), chosen)

    def ask_merge(self, theirs: Draft, diffs: list[Any], then: Callable[[], Any] | None) -> None:
        from screens.dialogs import MergeDialog

        async def chosen(take: set[str] | None) -> None:
            if take is None:  # back to the choice
                self.show_conflict(then)
                return
            ok = self.session.merge(theirs, take)
            if ok is not None:
                await self.rebuild()
            if ok and then is not None:
                then()

        self.app.push_screen(MergeDialog(diffs, self.lang), chosen)

    def leave(self, then: Callable[[], Any]) -> None:
        """Run `then` (quit, back home) once the text is on disk; if it cannot be saved, ask:
        retry (or resolve the conflict), save elsewhere, write a recovery copy, or stay."""
        from screens.dialogs import SaveFailedDialog

        if self._asking:
            return
        if self.flush():
            then()
            return
        self._asking = True
        session = self.session
        conflict = session.conflict is not None

        def chosen(choice: str | None) -> None:
            self._asking = False
            if choice == "retry":
                session.dirty = True
                self.leave(then)
            elif choice == "resolve":
                self.show_conflict(lambda: self.leave(then))
            elif choice == "elsewhere":
                self.ask_elsewhere(then)
            elif choice == "recovery":
                if session.rescue() is not None:
                    then()
                else:
                    self.leave(then)
            # None: stay in the editor; the text stays in memory and autosave retries.

        dialog = SaveFailedDialog(session.path.name, session.save_error, conflict, self.lang)
        self.app.push_screen(dialog, chosen)

    def ask_elsewhere(self, then: Callable[[], Any]) -> None:
        """Save the draft to a path the applicant types (never over an existing file)."""
        from screens.dialogs import PromptDialog

        def chosen(value: str | None) -> None:
            if value and self.session.save_elsewhere(value):
                then()
            else:
                self.leave(then)

        default = str(Path.home() / self.session.path.name)
        prompt = PromptDialog(t("ed.elsewhere_prompt", self.lang), default, self.lang)
        self.app.push_screen(prompt, chosen)
