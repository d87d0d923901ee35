"""SQLite keeps the views' times as text: the text must stay the same as ever, and sort like the instants."""

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from infrastructure.projections.dialects import SQLITE

offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
# Hypothesis bounds are naive; a day inside either end, so every offset converts to a valid UTC time.
earliest, latest = datetime(1970, 1, 2), datetime(9999, 12, 30)  # noqa: DTZ001
instants = st.datetimes(min_value=earliest, max_value=latest, timezones=offsets)
whole_seconds = instants.map(lambda at: at.replace(microsecond=0))


@given(st.lists(st.one_of(instants, whole_seconds, st.none()), max_size=8))
def test_a_rows_times_are_written_as_fixed_width_utc_iso_text(times: list[datetime | None]) -> None:
    expected = tuple(
        None if at is None else at.astimezone(UTC).isoformat(timespec="microseconds") for at in times
    )
    assert SQLITE.times_in(*times) == expected
    assert all(text is None or len(text) == len("2026-12-01T04:00:00.000000+00:00") for text in expected)


@given(st.lists(st.one_of(instants, whole_seconds), min_size=2, max_size=8))
def test_the_text_sorts_like_the_instants(times: list[datetime]) -> None:
    texts = [str(text) for text in SQLITE.times_in(*times)]
    by_text = [at for _, at in sorted(zip(texts, times, strict=True), key=lambda pair: pair[0])]
    assert [at.astimezone(UTC) for at in by_text] == sorted(at.astimezone(UTC) for at in times)


def test_one_time_is_written_like_a_rows() -> None:
    at = datetime(2026, 12, 1, 12, 0, tzinfo=timezone(timedelta(hours=8)))
    assert SQLITE.time_in(at) == "2026-12-01T04:00:00.000000+00:00"
