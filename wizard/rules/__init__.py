"""The rule engine: judges a draft against its direction of the guide."""

from wizard.rules.engine import counts, evaluate, unknown_rules
from wizard.rules.model import Clause, Violation

__all__ = ["Clause", "Violation", "counts", "evaluate", "unknown_rules"]
