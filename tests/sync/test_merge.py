"""The three-way merge rules, field by field (pure, no register)."""

from __future__ import annotations

from fpdesk.sync import merge

BASE = {"id": "r", "deleted": 0, "phone": "1", "note": "a", "name": "王芳"}


def test_township_unchanged_takes_the_village_value() -> None:
    result = merge.merge_update(BASE, {**BASE, "phone": "2"}, BASE)
    assert result.writes == {"phone": "2"} and result.clashes == []


def test_same_value_on_both_sides_is_nothing_to_do() -> None:
    result = merge.merge_update(BASE, {**BASE, "phone": "2"}, {**BASE, "phone": "2"})
    assert result.writes == {} and result.clashes == [] and result.unchanged == 1


def test_different_edits_of_one_field_conflict() -> None:
    result = merge.merge_update(BASE, {**BASE, "phone": "2"}, {**BASE, "phone": "3"})
    assert result.writes == {}
    assert result.clashes == [merge.Clash(merge.FIELD, "phone", "1", "2", "3")]


def test_edits_of_different_fields_both_survive() -> None:
    result = merge.merge_update(BASE, {**BASE, "phone": "2"}, {**BASE, "note": "b"})
    assert result.writes == {"phone": "2"} and result.clashes == []


def test_fields_the_village_did_not_change_are_left_alone() -> None:
    ours = {**BASE, "note": "township note"}
    result = merge.merge_update(BASE, {**BASE, "phone": "2"}, ours)
    assert "note" not in result.writes


def test_deleting_what_the_township_edited_is_held() -> None:
    result = merge.merge_update(BASE, {**BASE, "deleted": 1}, {**BASE, "note": "b"})
    assert result.writes == {}
    assert [c.kind for c in result.clashes] == [merge.DELETE_VS_EDIT]


def test_deleting_an_untouched_record_applies() -> None:
    result = merge.merge_update(BASE, {**BASE, "deleted": 1}, BASE)
    assert result.writes == {"deleted": 1} and result.clashes == []


def test_editing_what_the_township_deleted_is_applied_and_flagged() -> None:
    result = merge.merge_update(BASE, {**BASE, "phone": "2"}, {**BASE, "deleted": 1})
    assert result.writes == {"phone": "2"}
    assert [c.kind for c in result.clashes] == [merge.EDIT_OF_DELETED]


def test_insert_of_a_new_row_is_taken_whole() -> None:
    assert merge.merge_insert(BASE, None).writes == BASE


def test_insert_of_a_row_already_here_must_agree() -> None:
    result = merge.merge_insert({**BASE, "phone": "9"}, BASE)
    assert result.writes == {}
    assert [(c.kind, c.field) for c in result.clashes] == [(merge.INSERT_CLASH, "phone")]
