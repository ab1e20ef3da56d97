"""Place rules that need no spaCy model: qualifiers, region seats, main town,
transliteration skeletons. Candidates are invented; names and ids are made up
except where a docstring says otherwise."""

from __future__ import annotations

from tocsin.nlp._gazetteer_sources import skeleton
from tocsin.nlp._place_scoring import drop_city_regions, find_qualifiers, region_seats
from tocsin.nlp.gazetteer import Candidate
from tocsin.nlp.places import _main_town, _same_stem


def cand(gid: int, name: str, kind: str = "place", **kw: object) -> Candidate:
    base: dict[str, object] = {
        "country": "UKR",
        "admin1": "Testova oblast",
        "lat": 47.0,
        "lon": 35.0,
        "population": 1000,
        "admin1_code": "UA.99",
    }
    base.update(kw)
    return Candidate(gid, name, kind, **base)  # type: ignore[arg-type]


REGION = cand(1, "Testova oblast", "admin1", population=600_000)


def fake_lookup(text: str) -> list[Candidate]:
    return [REGION] if text.rstrip(".") == "Testova" else []


def test_qualifier_stops_at_the_end_of_a_sentence() -> None:
    text = "Shells hit Zorivka, Testova. As night fell the guns went quiet."
    start = text.index("Zorivka")
    found = find_qualifiers(text, start, start + len("Zorivka"), fake_lookup)
    assert [q for _, regions in found for q in regions] == [REGION]


def test_next_item_of_a_list_is_not_a_qualifier() -> None:
    text = "Sirens sounded in Zorivka, Testova and Lisne at dawn."
    start = text.index("Zorivka")
    assert find_qualifiers(text, start, start + len("Zorivka"), fake_lookup) == []


def test_region_with_its_kind_word_is_a_qualifier_inside_a_list() -> None:
    def lookup(text: str) -> list[Candidate]:
        return [REGION] if text == "Testova region" else []

    text = "Shells hit Zorivka, Testova region, and Lisne."
    start = text.index("Zorivka")
    found = find_qualifiers(text, start, start + len("Zorivka"), lookup)
    assert [q for _, regions in found for q in regions] == [REGION]


def test_qualifier_abbreviation_with_a_dot_goes_on() -> None:
    # "St. Marks" is one name: the dot of a two-letter abbreviation does not end it
    seen: list[str] = []

    def lookup(text: str) -> list[Candidate]:
        seen.append(text)
        return []

    text = "Zorivka, St. Marks said."
    find_qualifiers(text, 0, len("Zorivka"), lookup)
    assert seen[0] == "St. Marks"


def test_region_named_after_its_town_gives_way_to_the_town() -> None:
    town = cand(2, "Testove", population=66_000)  # over a tenth of 600,000
    assert drop_city_regions([REGION, town]) == [town]
    assert region_seats([REGION, town]) == {2}


def test_small_namesake_town_leaves_the_region() -> None:
    town = cand(3, "Testove", population=30_000)  # under a tenth, under 100,000
    assert drop_city_regions([REGION, town]) == [REGION, town]
    assert region_seats([REGION, town]) == set()


def test_town_elsewhere_does_not_drop_the_region() -> None:
    town = cand(4, "Testove", population=500_000, admin1_code="UA.98")
    assert drop_city_regions([REGION, town]) == [REGION, town]


def test_same_stem() -> None:
    assert _same_stem("zaporizhia", "zaporizka oblast")
    assert _same_stem("sumy", "sumska oblast")
    assert not _same_stem("paris", "ile de france")
    assert not _same_stem("kyiv", "kharkivska oblast")


def test_main_town_skips_alternate_name_readings_and_foreign_towns() -> None:
    weak = cand(10, "Franklinville", country="USA", primary=False, population=30_000)
    lviv = cand(11, "Lviv", population=700_000)
    village = cand(12, "Zorivka")
    assert _main_town([weak, weak, lviv, village]) == lviv
    # the story's country decides before the counts: two Polish mentions of one
    # town lose to the Ukrainian towns when Ukraine is chosen more often
    polish = cand(13, "Przemysl", country="POL")
    assert _main_town([polish, polish, village, lviv, REGION]) == village


def test_skeleton_joins_romanisations() -> None:
    pairs = [
        ("kamianske", "kamyanske"),
        ("huliaipole", "hulyaypole"),
        ("kostiantynivka", "kostyantynivka"),
        ("dariivka", "darivka"),
        ("verkhnyotoretske", "verkhnotoretske"),
    ]
    for left, right in pairs:
        assert skeleton(left) == skeleton(right)
    assert skeleton("kharkiv") != skeleton("kherson")


def test_main_region_when_no_town() -> None:
    from tocsin.nlp.places import _main_region

    country = cand(20, "Testland", "country", admin1_code=None)
    other = cand(21, "Inshe oblast", "admin1", admin1_code="UA.98")
    assert _main_region([country, REGION, other, REGION, None]) == REGION
    assert _main_region([country, None]) == country
    assert _main_region([None]) is None
