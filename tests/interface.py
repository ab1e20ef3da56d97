"""Facts of tocsin's public interface that several tests check."""

# Every `tocsin events --format jsonl` row carries at least these flat fields (issue: tocsin v0).
EVENT_ROW_FIELDS = frozenset(
    [
        "id",
        "doc_id",
        "type",
        "mode",
        "actor",
        "target",
        "place_name",
        "lat",
        "lon",
        "admin1",
        "country",
        "date_start",
        "date_end",
        "sentence",
        "start",
        "end",
    ]
)
