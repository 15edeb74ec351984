"""The clause data, the question bank and the small rules the forms and services share."""

from __future__ import annotations

from django.core.exceptions import ValidationError

import pytest

from content_types.quality.clauses import (
    CLAUSE_TITLES,
    MAIN_CLAUSES,
    QUESTION_BANK,
    clause_list_parse,
    question_bank_for,
)
from content_types.quality.rules import PROVINCE_AUDITORS_GROUP, eligible_auditors
from tests.quality.conftest import AUDITORS, EDITORS
from workflows.provisioning import INTERNAL_AUDITORS


def test_clauses_four_to_ten_and_a_bank_for_each():
    assert MAIN_CLAUSES == ["4", "5", "6", "7", "8", "9", "10"]
    assert set(QUESTION_BANK) <= set(CLAUSE_TITLES)
    for clause in MAIN_CLAUSES:
        questions = question_bank_for(clause)
        assert questions, clause
        assert all(code.split(".")[0] == clause for code, _ in questions)
    assert question_bank_for("7.5") == [("7.5", q) for q in QUESTION_BANK["7.5"]]


def test_clause_lists_are_parsed_and_unknown_clauses_refused():
    assert clause_list_parse("4, 7.5; 10") == ["4", "7.5", "10"]
    with pytest.raises(ValidationError) as refused:
        clause_list_parse("4, 11, 7.9")
    assert "Điều khoản không có trong TCVN ISO 9001:2015: 11, 7.9." in refused.value.messages[0]


def test_the_province_auditors_group_has_one_name():
    assert PROVINCE_AUDITORS_GROUP == INTERNAL_AUDITORS


@pytest.mark.django_db
def test_eligible_auditors_are_the_agencys_and_the_provinces(
    agency_a, staff_a, staff_b, province_auditor
):
    eligible = set(eligible_auditors(agency_a))
    assert eligible == {staff_a[AUDITORS], province_auditor}
    assert staff_a[EDITORS] not in eligible and staff_b[AUDITORS] not in eligible
