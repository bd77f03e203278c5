"""A 居民身份证号码 is judged, never crashes the check (wizard/idcard.py).

python-stdnum 2.2 raised KeyError for a known province with an unknown county code and the
right check digit: `wizard check` ended with "internal error (KeyError: 'county')" and the
team form's as-typed check raised inside the key's handler."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from screens.forms.team import id_problem as typed_problem
from tests.factories import clean_draft, resident_id
from tests.helpers import check, run_cli
from wizard.guide import Guide
from wizard.idcard import check_resident_id
from wizard.store import save_draft

# Province 11 (北京) exists, county 9999 does not; the check digit is right.
UNKNOWN_COUNTY = "119999198001010018"


def test_a_known_province_with_an_unknown_county_is_an_unknown_region() -> None:
    with pytest.raises(KeyError):  # what python-stdnum does with it (this is why)
        ric.validate(UNKNOWN_COUNTY)
    found = check_resident_id(UNKNOWN_COUNTY)
    assert found.fault == "region" and found.born is None
    assert typed_problem("resident_id", UNKNOWN_COUNTY) == ("team.id_region", {})


def test_the_faults_and_a_valid_number() -> None:
    good = resident_id(date(1975, 5, 1), 1)
    assert check_resident_id(good).fault is None
    assert check_resident_id(good).born == date(1975, 5, 1)
    assert check_resident_id(good[:10]).fault == "length"
    assert check_resident_id(good[:10]).length == 10
    assert check_resident_id(good[:-1] + ("0" if good[-1] != "0" else "1")).fault == "checksum"
    assert check_resident_id("1101051975050100A1").fault == "format"
    assert check_resident_id(resident_id(date(1975, 5, 1), 1, region="990101")).fault == "region"
    # 110103 (崇文区) was merged away in 2010: not a birth place of 2015.
    assert check_resident_id(resident_id(date(2009, 5, 1), 1, region="110103")).fault is None
    assert check_resident_id(resident_id(date(2015, 5, 1), 1, region="110103")).fault == "region"
    body = "11010519751301001"  # month 13
    bad_date = body + ric.calc_check_digit(body + "0")
    assert check_resident_id(bad_date).fault == "birth_date"
    assert typed_problem("resident_id", bad_date) == ("team.id_birth", {})


def _stdnum_says(number: str) -> bool | None:
    """True/False as python-stdnum judges; None where it raises something of its own."""
    try:
        ric.validate(number)
    except ValidationError:
        return False
    except KeyError:
        return None
    return True


@st.composite
def plausible_numbers(draw: st.DrawFn) -> str:
    """18 characters with the right check digit: a real province, any county, a real date."""
    province = draw(st.sampled_from(["11", "12", "31", "44", "51", "65", "71", "99"]))
    county = draw(st.from_regex(r"\A[0-9]{4}\Z"))
    born = draw(st.dates(date(1900, 1, 1), date(2030, 12, 31)))
    body = f"{province}{county}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return body + ric.calc_check_digit(body + "0")


@settings(max_examples=300, deadline=None)
@given(st.one_of(plausible_numbers(), st.text(alphabet="0123456789Xx -", max_size=22)))
def test_any_number_gets_an_answer_that_agrees_with_stdnum(number: str) -> None:
    found = check_resident_id(number)  # never raises
    said = _stdnum_says(ric.compact(number))
    if said is None:
        assert found.fault == "region"
    else:
        assert (found.fault is None) is said


def test_the_rule_and_wizard_check_say_it_instead_of_stopping(
    guide: Guide, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = clean_draft(guide, "1.6")
    draft.team[1].id_number = UNKNOWN_COUNTY
    [v] = check(guide, draft, "team_id_number")
    assert v.path == "team[1].id_number" and "地区码（前 6 位 119999）" in v.message_zh
    path = save_draft(draft, tmp_path / "id.toml", touch=False)
    code, out, err = run_cli(capsys, "check", str(path))
    assert code != 70 and "internal error" not in err  # 70: the check itself stopped
    assert "地区码（前 6 位 119999）" in out
