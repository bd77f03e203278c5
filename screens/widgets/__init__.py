"""Widgets of the editor screen: the problems panel, the section stepper, the title and
status bars. Each draws what it is given (`show(...)`) and posts its choices up as messages."""
