"""Free text shows no phone number, nor the caller's name, to a reader who may not see personal data."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from application.privacy import caller_name_in, mask_text, masked_event_data, text_for
from domain.values import Role


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("魏女士（13812341234）反映下水道堵塞", "魏**（138****1234）反映下水道堵塞"),
        ("回电 138 1234 1234 或 138-1234-1234", "回电 138****1234 或 138****1234"),
        ("物业电话0531-86123456，值班0531 86123457", "物业电话053****3456，值班053****3457"),
        ("已联系19912345678。", "已联系199****5678。"),
        ("电话+8613812345678。", "电话138****5678。"),
        ("电话8613812345678或008613812345678", "电话138****5678或138****5678"),
        ("物业(0531)88889999，（0531）88889998", "物业053****9999，053****9998"),
        ("值班０５３１－８８８８９９９９", "值班053****9999"),
        ("总机86-531-88889999，+86 531 88889998", "总机531****9999，531****9998"),
        ("手机１３８１２３４５６７８", "手机138****5678"),
        ("联系电话0531-8765-4321，或 0531 8765 4321", "联系电话053****4321，或 053****4321"),
        ("手机138.1234.5678，138—1234—5678", "手机138****5678，138****5678"),
        ("总机+86 531 8765 4321", "总机531****4321"),
    ],
)
def test_phone_numbers_in_free_text_are_masked_like_the_callers(written: str, shown: str) -> None:
    assert mask_text(written, "魏女士") == shown


@pytest.mark.parametrize(
    "written",
    [
        "工单JN12345-20240110-0042，2024-01-10 09:00 受理",  # order numbers, dates and times
        "14号楼3单元，12345热线转来",
        "编号1381234123412",  # a longer run of digits is not a phone number
        "金额12000元，门牌11号",
        "身份证370102198601012345",  # an identity card number runs on: no phone inside it
        "２０２４－０１－１０ ０９:００受理",  # a date in full-width digits
        "2024.01.10 受理，2024—01—10 回访",  # dates written with dots and dashes
        "14号楼3单元302室，1单元0531号",
    ],
)
def test_other_numbers_are_left_as_written(written: str) -> None:
    assert mask_text(written) == written


@given(st.text(alphabet="0123456789 -+().—（）０１３８６－．魏女士号楼电话", max_size=60))
def test_masking_twice_changes_nothing_more(text: str) -> None:
    once = mask_text(text, "魏女士")
    assert mask_text(once, "魏女士") == once


def test_the_received_events_texts_lose_the_callers_phone_and_name() -> None:
    data = {
        "summary": "魏女士反映漏水",
        "description": "魏女士（13812341234）家中漏水",
        "caller": {"name": "魏女士", "phone": "13812341234"},
        "external_ref": "JN12345-13812341234",  # an identifier: never rewritten
    }

    masked = masked_event_data(data)

    assert masked["summary"] == "魏**反映漏水"
    assert masked["description"] == "魏**（138****1234）家中漏水"
    assert masked["caller"] == {"name": "魏**", "phone": "138****1234"}
    assert masked["external_ref"] == data["external_ref"]
    assert data["description"] == "魏女士（13812341234）家中漏水"  # the event's own data is untouched


def test_the_place_the_body_coordinated_and_the_photos_lose_phones_and_the_callers_name() -> None:
    intake = {
        "caller": {"name": "窦奶奶", "phone": "0531-8765-4321"},
        "location": {"address": "明星南区5号楼 窦奶奶家 电话0531-8765-4321", "community": "明星社区",
                     "building": "5号楼 窦奶奶 13812345678", "lat": 36.6, "lon": 117.0},
    }  # fmt: skip
    coordinated = {"party": {"name": "窦奶奶之子 13812345678", "code": "0531-8765-4321"}, "request": "上门"}
    visited = {"findings": "已送达", "photos": ["窦奶奶_13812345678.jpg", "heater.jpg"]}

    location = masked_event_data(intake)["location"]
    party = masked_event_data(coordinated, caller_name="窦奶奶")["party"]
    photos = masked_event_data(visited, caller_name="窦奶奶")["photos"]

    assert location == {"address": "明星南区5号楼 窦**家 电话053****4321", "community": "明星社区",
                        "building": "5号楼 窦** 138****5678", "lat": 36.6, "lon": 117.0}  # fmt: skip
    assert party == {"name": "窦**之子 138****5678", "code": "053****4321"}
    assert photos == ["窦**_138****5678.jpg", "heater.jpg"]


def test_a_later_events_texts_lose_the_name_the_intake_gave() -> None:
    later = {"note": "已联系魏女士，电话13812341234", "reached": True}

    assert masked_event_data(later, caller_name="魏女士")["note"] == "已联系魏**，电话138****1234"
    assert masked_event_data(later)["note"] == "已联系魏女士，电话138****1234"  # no name given: phones only


def test_praise_from_the_caller_loses_their_name_and_praise_from_others_keeps_theirs() -> None:
    from_the_caller = {"by": "魏女士", "message": "感谢社区!", "channel": "hotline"}
    from_neighbours = {"by": "14号楼全体居民", "message": "感谢社区!", "channel": "hotline"}

    assert masked_event_data(from_the_caller, caller_name="魏女士")["by"] == "魏**"
    assert masked_event_data(from_neighbours, caller_name="魏女士")["by"] == "14号楼全体居民"
    assert masked_event_data({"by": None, "message": "谢谢"}, caller_name="魏女士")["by"] is None


def test_an_events_own_caller_is_the_one_masked() -> None:
    intake = {"description": "魏女士与邻居", "caller": {"name": "魏女士", "phone": "13812341234"}}

    assert masked_event_data(intake, caller_name="邻居")["description"] == "魏**与邻居"
    assert caller_name_in(intake) == "魏女士"
    assert caller_name_in({"note": "已联系"}) is None


@pytest.mark.parametrize("role", [Role.INTAKE, Role.ADMIN])
def test_the_centre_and_administrators_read_free_text_as_written(role: Role) -> None:
    assert text_for(role, "魏女士 13812341234", "魏女士") == "魏女士 13812341234"
    assert text_for(Role.WORKER, "魏女士 13812341234", "魏女士") == "魏** 138****1234"
