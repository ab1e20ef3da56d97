"""Toponym extraction and disambiguation on invented sentences.

Expected ids were checked by hand in the gazetteer's sources: Kharkiv 706483,
Kyiv 703448, Bakhmut (Artemivsk) 713174, Izyum 707292, Kharkiv oblast 706482,
Horby 708449 (Poltava oblast, 622 people; Hörby in Sweden has 7,459),
Georgia the country 614540 and the US state 4197000, Paris (Texas) 4717560,
Washington (D.C.) 4140963, Odesa 698740 (alternate name Odessa; Odessa, Texas
is 5527554), Mexico 3996063, Russia 2017370, Black Sea feature -4, Donbas -1,
Sea of Azov -3.
"""

from __future__ import annotations

import pickle

import pytest

from tocsin.models import Place
from tocsin.nlp.gazetteer import Gazetteer
from tocsin.nlp.places import extract_places, resolve_spans


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return Gazetteer.open()


@pytest.fixture
def places(nlp, gazetteer):
    def run(text: str) -> dict[str, Place]:
        found = extract_places(nlp(text), gazetteer)
        for place in found:
            assert text[place.start : place.end] == place.text
        return {place.text: place for place in found}

    return run


@pytest.mark.parametrize(
    ("text", "toponym", "geonameid", "precision"),
    [
        ("Shelling was reported in Kharkiv on Monday.", "Kharkiv", 706483, "place"),
        ("Shelling was reported in Kharkov on Monday.", "Kharkov", 706483, "place"),
        ("Talks resumed in Kiev after a pause.", "Kiev", 703448, "place"),
        ("Troops withdrew from Artemivsk overnight.", "Artemivsk", 713174, "place"),
        ("Heavy fighting continued across the Donbas this week.", "Donbas", -1, "feature"),
        ("Patrol boats were seen in the Sea of Azov near the coast.", "Sea of Azov", -3, "feature"),
        ("Russian forces shelled Izium, Kharkiv region, again.", "Izium", 707292, "place"),
        (
            "Russian forces shelled Izium, Kharkiv region, again.",
            "Kharkiv region",
            706482,
            "admin1",
        ),
        ("Ships left the Black Sea at dawn.", "Black Sea", -4, "feature"),
        ("Grain ships left Odessa for Istanbul on Tuesday.", "Odessa", 698740, "place"),
        ("Officials in Mexico rejected the tariff plan.", "Mexico", 3996063, "country"),
        ("Ministers from Russia and Poland met in Warsaw.", "Russia", 2017370, "country"),
    ],
)
def test_resolves(places, text: str, toponym: str, geonameid: int, precision: str) -> None:
    place = places(text)[toponym]
    assert (place.geonameid, place.precision) == (geonameid, precision)
    assert place.lat is not None and place.lon is not None and place.reason is None


def test_kiev_is_in_ukraine(places) -> None:
    kiev = places("Talks resumed in Kiev after a pause.")["Kiev"]
    assert (kiev.name, kiev.country) == ("Kyiv", "UKR")


def test_ukrainian_village_over_a_larger_namesake(places) -> None:
    text = (
        "Ukraine said shelling damaged homes in the village of Horby overnight. "
        "Officials in Poltava and Kyiv asked Ukraine's partners for more air defence."
    )
    horby = places(text)["Horby"]
    assert (horby.geonameid, horby.country, horby.admin1) == (708449, "UKR", "Poltavska oblast")


@pytest.mark.parametrize(
    ("text", "geonameid", "country", "precision"),
    [
        (
            "Protesters gathered in Tbilisi as Georgia weighed its response to pressure "
            "from Russia.",
            614540,
            "GEO",
            "country",
        ),
        (
            "Heavy rain flooded roads in Atlanta, and officials across Georgia opened shelters.",
            4197000,
            "USA",
            "admin1",
        ),
    ],
)
def test_georgia_depends_on_the_story(
    places, text: str, geonameid: int, country: str, precision: str
) -> None:
    georgia = places(text)["Georgia"]
    assert (georgia.geonameid, georgia.country, georgia.precision) == (
        geonameid,
        country,
        precision,
    )


def test_paris_texas(places) -> None:
    found = places("The band played in Paris, Texas last night.")
    assert (found["Paris"].geonameid, found["Paris"].admin1) == (4717560, "Texas")
    assert found["Texas"].precision == "admin1"


def test_washington_in_a_diplomacy_story(places) -> None:
    washington = places("Diplomats in Washington and Moscow traded accusations over sanctions.")[
        "Washington"
    ]
    assert (washington.geonameid, washington.admin1) == (4140963, "District of Columbia")


@pytest.mark.parametrize(
    ("text", "toponym", "admin1"),
    [
        (
            "Shells hit Novoselivka (Donetsk oblast) overnight, the governor said.",
            "Novoselivka",
            "Donetska oblast",
        ),
        (
            "A drone struck a school in the Poltava region village of Petrivka on Friday.",
            "Petrivka",
            "Poltavska oblast",
        ),
    ],
)
def test_region_named_beside_the_place(places, text: str, toponym: str, admin1: str) -> None:
    place = places(text)[toponym]
    assert (place.precision, place.country, place.admin1) == ("place", "UKR", admin1)


def test_offsets_and_leading_the(places) -> None:
    text = "Ships left the Black Sea at dawn."
    sea = places(text)["Black Sea"]
    assert (sea.start, sea.end) == (15, 24)


def test_unknown_name_is_kept_with_a_reason(places) -> None:
    place = places("Residents of Zlorbnik, Ukraine, were evacuated after the strike.")["Zlorbnik"]
    assert (place.start, place.end) == (13, 21)
    assert place.geonameid is None and place.lat is None and place.lon is None
    assert place.reason == "not in gazetteer"


def test_demonyms_and_people_are_not_places(places) -> None:
    assert places("Russian and Ukrainian negotiators met again.") == {}
    found = places("Modi spoke with Putin by phone, and Belarus said it would host the talks.")
    assert "Modi" not in found and "Putin" not in found
    assert (found["Belarus"].precision, found["Belarus"].country) == ("country", "BLR")


@pytest.mark.parametrize(
    "text",
    [
        "The Kremlin said the talks in Geneva were useful.",
        "Western officials warned of new strikes.",
        "The IMO said shipping lanes stayed open.",
    ],
)
def test_institutions_and_compass_words_are_not_places(places, text: str) -> None:
    found = places(text)
    assert not {"Kremlin", "Western", "IMO"} & set(found)


def test_border_phrase_is_one_feature(places) -> None:
    found = places("Columns of tanks were seen near the Russia-Ukraine border last week.")
    assert list(found) == ["Russia-Ukraine border"]
    assert found["Russia-Ukraine border"].precision == "feature"


def test_country_point_is_never_a_town(places) -> None:
    ukraine = places("Residents of Zlorbnik, Ukraine, were evacuated after the strike.")["Ukraine"]
    assert (ukraine.precision, ukraine.admin1) == ("country", None)


def test_resolve_spans_uses_context(gazetteer: Gazetteer, nlp) -> None:
    text = "Heavy rain flooded roads in Atlanta, and officials across Georgia opened shelters."
    start = text.index("Georgia")
    context = extract_places(nlp(text), gazetteer)
    [georgia] = resolve_spans(text, [(start, start + 7)], gazetteer, context)
    assert (georgia.text, georgia.geonameid) == ("Georgia", 4197000)


def test_unpickled_gazetteer_works(nlp, gazetteer: Gazetteer) -> None:
    copy = pickle.loads(pickle.dumps(gazetteer))
    [kharkiv] = extract_places(nlp("Shelling was reported in Kharkiv on Monday."), copy)
    assert kharkiv.geonameid == 706483


def _given(text: str, name: str, gazetteer: Gazetteer) -> Place:
    """Resolve the first occurrence of ``name`` in ``text`` as a given span."""
    start = text.index(name)
    [place] = resolve_spans(text, [(start, start + len(name))], gazetteer)
    return place


@pytest.mark.parametrize(
    ("text", "name", "expected", "precision"),
    [
        # press abbreviations of US states, with their dots
        ("The ferry left Norfolk, Va., at dawn.", "Va.", "Virginia", "admin1"),
        ("A fire near Fresno, Calif., spread overnight.", "Calif.", "California", "admin1"),
        # a demonym given as a toponym stands for its country or continent
        ("Canadian officials met in the capital.", "Canadian", "Canada", "country"),
        ("European leaders met on Friday.", "European", "Europe", "feature"),
        # a country followed by another country in a list is not qualified by it
        ("A pact that includes Mexico, the US, and Canada.", "Mexico", "Mexico", "country"),
        # an unknown multi-word name is located to its known part
        (
            "Students at Arizona Polytechnic Academy marched.",
            "Arizona Polytechnic Academy",
            "Arizona",
            "admin1",
        ),
    ],
)
def test_resolve_spans_reads_given_toponyms(
    gazetteer: Gazetteer, text: str, name: str, expected: str, precision: str
) -> None:
    place = _given(text, name, gazetteer)
    assert (place.name, place.precision) == (expected, precision)


@pytest.mark.parametrize(
    ("name", "lat", "lon"),
    [
        ("Canada", 60.10867, -113.64258),  # GeoNames' point, not the geographic centre
        ("Tunisia", 34.0, 9.0),
        ("California", 37.25022, -119.75126),
    ],
)
def test_countries_and_states_carry_geonames_points(
    gazetteer: Gazetteer, name: str, lat: float, lon: float
) -> None:
    [best, *_] = gazetteer.lookup(name)
    assert (best.lat, best.lon) == (lat, lon)


def test_unknown_street_is_located_to_the_main_town(gazetteer: Gazetteer) -> None:
    text = "In Lviv, crowds filled Zzyxa Lane. Later Lviv council met."
    [lane, _] = resolve_spans(text, [(23, 33), (3, 7)], gazetteer)
    assert lane.text == "Zzyxa Lane"
    assert lane.name == "Lviv" and lane.reason is not None and "town" in lane.reason


def test_regional_abbreviation_is_not_a_bare_word(gazetteer: Gazetteer) -> None:
    # "Man." is Manitoba only with its dot; the word "man" finds no region
    assert all(c.kind != "admin1" or c.country != "CAN" for c in gazetteer.lookup("man"))


@pytest.mark.parametrize(
    ("text", "toponym", "geonameid"),
    [
        # Kherson 706448 (66,000 people in GeoNames) is the town its oblast is named after
        ("Artillery pounded Kherson again overnight, officials said.", "Kherson", 706448),
        # the region after the comma ends with the sentence; the name is Kostiantynivka's
        # other romanisation (main name Kostyantynivka, 705104, Donetsk oblast)
        ("Rockets struck Kostiantynivka, Donetsk. Two houses burned.", "Kostiantynivka", 705104),
        # a city written as the region (Zaporizhia) places Orikhiv 698428 in its oblast
        ("Drones hit Orikhiv, Zaporizhia. Nobody was hurt.", "Orikhiv", 698428),
        # Huliaipole is written Hulyaypole in GeoNames (707898, Zaporizhzhia oblast)
        ("Shells fell on Huliaipole, Zaporizhia region, on Monday.", "Huliaipole", 707898),
    ],
)
def test_ukrainian_towns_as_the_wire_writes_them(
    places, text: str, toponym: str, geonameid: int
) -> None:
    place = places(text)[toponym]
    assert (place.geonameid, place.precision) == (geonameid, "place")


def test_kherson_region_is_still_the_oblast(places) -> None:
    place = places("Floods hit the Kherson region this week.")["Kherson region"]
    assert (place.geonameid, place.precision) == (706442, "admin1")


def test_bare_ocean_name_is_not_a_county(gazetteer: Gazetteer) -> None:
    # "Atlantic" alone is the ocean (feature -86), not Atlantic County, New Jersey,
    # even in a story about New Jersey (which makes the county near and American)
    text = "Storms moved across the Atlantic before reaching Trenton, New Jersey."
    spans = [(text.index(n), text.index(n) + len(n)) for n in ("Atlantic", "Trenton", "New Jersey")]
    atlantic, trenton, _ = resolve_spans(text, spans, gazetteer)
    assert (atlantic.geonameid, atlantic.precision) == (-86, "feature")
    assert trenton.country == "USA"


def test_province_abbreviation_without_dots(gazetteer: Gazetteer) -> None:
    from tocsin.nlp.places import lookup

    [region] = lookup(gazetteer, "BC")
    assert (region.kind, region.admin1_code) == ("admin1", "CA.02")


def test_unknown_span_without_a_town_goes_to_the_region(gazetteer: Gazetteer) -> None:
    text = "Across Zzyxa Downs in Kharkiv oblast the harvest failed."
    spans = [(7, 18), (text.index("Kharkiv oblast"), text.index("Kharkiv oblast") + 14)]
    downs, oblast = resolve_spans(text, spans, gazetteer)
    assert oblast.geonameid == 706482
    assert downs.geonameid == 706482 and downs.reason is not None and "region" in downs.reason


@pytest.mark.parametrize(
    ("text", "toponym", "geonameid"),
    [
        # a city district written "City - District" is located to the city (Kyiv 703448)
        (
            "Police cordoned off a street in Kyiv - Podilskyi after the blast.",
            "Kyiv - Podilskyi",
            703448,
        ),
        ("Windows shattered in Kiev-Obolonskyi overnight.", "Kiev-Obolonskyi", 703448),
    ],
)
def test_city_district_is_located_to_its_city(
    places, text: str, toponym: str, geonameid: int
) -> None:
    place = places(text)[toponym]
    assert (place.geonameid, place.precision) == (geonameid, "place")
    assert place.reason is not None and "part of its name" in place.reason


def test_region_named_with_the_exonym_of_its_city(gazetteer: Gazetteer) -> None:
    from tocsin.nlp.places import lookup

    # "Kiev region" is Kyiv oblast (703446), not the city of Kyiv's own region
    assert [c.geonameid for c in lookup(gazetteer, "Kiev region")] == [703446]
    assert [c.admin1_code for c in lookup(gazetteer, "Kharkov oblast")] == ["UA.07"]


def test_days_of_the_week_are_never_resolved() -> None:
    # spaCy may tag "Friday" as a GPE; GeoNames has places with such alternate names
    from tocsin.nlp.places import stoplist

    assert {"monday", "friday", "sunday"} <= stoplist()
