"""Application wizard for MOST's 2020 intergovernmental S&T innovation cooperation call.

The domain core (guide data, draft model, rules, storage, CLI). It never imports Textual.
"""

__version__ = "0.1.0"
