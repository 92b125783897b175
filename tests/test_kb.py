"""The knowledge base: building from packaged-format data, lookups, office
holders at a date, demonyms, the Wikidata dump import and the CLI."""
from __future__ import annotations

import bz2
import gzip
import json
import shutil
from pathlib import Path

import pytest

from depeche import kb as K
from depeche.errors import KBError

FIX = Path(__file__).parent / "fixtures" / "kb"
DUMP = FIX / "wikidata-sample.json"


def fixture_files():
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(FIX.glob("*.toml"))]


@pytest.fixture()
def small_kb(tmp_path):
    kb = K.open_kb(tmp_path / "kb.sqlite", files=fixture_files(), with_geo=False)
    yield kb
    kb.close()


@pytest.mark.parametrize("name, expected", [
    ("l'OTAN", "otan"),
    ("L’Union  européenne", "union europeenne"),
    ("États-Unis", "etats unis"),
    ("les Vingt-Sept", "vingt sept"),
    ("M. Stoltenberg", "m stoltenberg"),
    ("", ""),
])
def test_norm(name, expected):
    assert K.norm(name) == expected


@pytest.mark.parametrize("name, key", [
    ("OTAN", "nato"),
    ("l'OTAN", "nato"),
    ("NATO", "nato"),
    ("Organisation du traité de l'Atlantique Nord", "nato"),
    ("Conseil OTAN-Ukraine", "nato_ukraine_council"),
    ("Union européenne", "eu"),
    ("UE", "eu"),
    ("Testonie", "country:XA"),
    ("Pavlo Orlanyk", "Q999000001"),
])
def test_lookup_by_any_name(small_kb, name, key):
    r = small_kb.lookup(name)
    assert r is not None and r.key == key


def test_bodies_are_orgs_and_ids_are_stable(small_kb):
    eu = small_kb.lookup("l'Union européenne")
    assert eu.type == "ORG"  # an intergovernmental body is an ORG even if the data says GPE
    assert eu.ident == "Q458"
    assert small_kb.lookup("Conseil OTAN-Ukraine").ident == "nato_ukraine_council"


def test_weak_names_only_when_asked(small_kb):
    assert small_kb.lookup("Alliance") is None
    r = small_kb.lookup("l'Alliance", weak=True)
    assert r is not None and r.key == "nato" and r.weak
    assert small_kb.lookup("la Commission", weak=True).part_of == "eu"


@pytest.mark.parametrize("role, of, date, holder", [
    ("secretary_general", "nato", "2012-06-01", "Anders Fogh Rasmussen"),
    ("secretary_general", "nato", "2024-04-03", "Jens Stoltenberg"),
    ("secretary_general", "OTAN", "2025-03-01", "Mark Rutte"),
    ("secretary_general", "l'OTAN", "2030-01-01", "Mark Rutte"),
    ("secretary_general", "nato", "2005-01-01", None),
    ("foreign_minister", "XA", "2019-05-20", "Ilse Vannet"),      # start given as a month
    ("foreign_minister", "Testonie", "2021-12-31", "Ilse Vannet"),  # end given as a year
    ("foreign_minister", "XA", "2023-06-01", "Paul Orlanic"),
    ("head_of_state", "XA", "2023-06-01", None),
])
def test_holder_at_date(small_kb, role, of, date, holder):
    r = small_kb.holder(role, of, date)
    assert (r.name if r else None) == holder


def test_roles_of_a_person_at_a_date(small_kb):
    offices = small_kb.roles("Jens Stoltenberg", "2020-01-01")
    assert [o.key for o in offices] == ["nato.secretary_general"]
    assert small_kb.roles("Jens Stoltenberg", "2025-01-01") == []
    assert small_kb.lookup("Ilse Vannet").gender == "f"


@pytest.mark.parametrize("word, lemma, code", [
    ("ukrainien", None, "UA"),
    ("ukrainienne", None, "UA"),
    ("Ukrainiens", None, "UA"),
    ("russes", None, "RU"),
    ("américaines", None, "US"),
    ("françaises", None, "FR"),
    ("européenne", None, "eu"),
    ("les Vingt-Sept", None, "eu"),
    ("sud-coréen", None, "KR"),
    ("ministre", None, None),
    ("table", None, None),
])
def test_demonym(word, lemma, code):
    assert K.demonym(word, lemma=lemma) == code


@pytest.mark.parametrize("title, role", [
    ("chef de la diplomatie", "foreign_minister"),
    ("ministre des Affaires étrangères", "foreign_minister"),
    ("Premier ministre", "head_of_government"),
    ("secrétaire général", "secretary_general"),
    ("chef de l'État", "head_of_state"),
    ("boulanger", None),
])
def test_role_of_title(title, role):
    assert K.role_of_title(title) == role


def test_rebuilt_when_data_changes_and_fast_when_not(tmp_path):
    path = tmp_path / "kb.sqlite"
    files = fixture_files()
    K.open_kb(path, files=files, with_geo=False).close()
    kb = K.open_kb(path, files=files, with_geo=False)
    assert kb.lookup("Mark Rutte") is not None
    kb.close()
    changed = [(n, t.replace("Mark Rutte", "Marcus Ruttinga")) for n, t in files]
    kb = K.open_kb(path, files=changed, with_geo=False)
    assert kb.lookup("Mark Rutte") is None
    assert kb.holder("secretary_general", "nato", "2025-06-01").name == "Marcus Ruttinga"
    kb.close()


def _check_imported(kb):
    r = kb.lookup("Marta Quelennec")
    assert r is not None and r.type == "PER" and r.kb_id == "Q999000010" and r.origin == "import"
    assert kb.lookup("Marta Quellenec").key == "Q999000010"  # English alias
    # The position's label names a packaged office: role and body are known.
    assert kb.holder("secretary_general", "nato", "2022-01-01").name == "Marta Quelennec"
    assert [o.role for o in kb.roles(r, "2022-01-01")] == ["secretary_general"]
    assert kb.roles(r, "2024-01-01") == []  # the end date has year precision: 2023
    city = kb.lookup("Port-Quelenn")
    assert city.type == "GPE" and city.kind == "city" and (city.lat, city.lon) == (47.25, -3.5)
    assert city.country == "FR"
    assert kb.lookup("FTL").type == "ORG"
    assert kb.lookup("France").kb_id == "FR"


@pytest.mark.parametrize("opener, suffix", [(None, ".json"), (gzip.open, ".json.gz"), (bz2.open, ".json.bz2")])
def test_import_dump(small_kb, tmp_path, opener, suffix):
    src = tmp_path / f"dump{suffix}"
    if opener is None:
        shutil.copy(DUMP, src)
    else:
        with opener(src, "wb") as f:
            f.write(DUMP.read_bytes())
    st = small_kb.import_dump(src)
    assert st.read == 6 and st.entities == 4 and st.positions == 1
    _check_imported(small_kb)
    # Importing twice does not duplicate.
    small_kb.import_dump(src)
    assert small_kb._q("SELECT COUNT(*) FROM entity WHERE key='Q999000010'")[0][0] == 1


def test_imports_survive_a_rebuild(tmp_path):
    path = tmp_path / "kb.sqlite"
    files = fixture_files()
    kb = K.open_kb(path, files=files, with_geo=False)
    kb.import_dump(DUMP)
    kb.close()
    kb = K.open_kb(path, files=files, with_geo=False, rebuild=True)
    _check_imported(kb)
    assert kb.lookup("OTAN").key == "nato"
    kb.close()


@pytest.mark.parametrize("content", ["[\n{not json},\n]\n", "[\n{\"id\": \"Q1\", \"labels\": 3},\n"])
def test_bad_dump(small_kb, tmp_path, content):
    p = tmp_path / "bad.json"
    p.write_text(content, encoding="utf-8")
    if "not json" in content:
        with pytest.raises(KBError):
            small_kb.import_dump(p)
    else:  # malformed fields: the entity is skipped, nothing raised
        assert small_kb.import_dump(p).entities == 0


def test_cli_kb_commands(tmp_path, capsys, monkeypatch):
    from depeche import cli

    monkeypatch.setenv("DEPECHE_HOME", str(tmp_path))
    kbfile = str(tmp_path / "kb.sqlite")
    assert cli.main(["kb", "--kb", kbfile, "import", str(DUMP), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["entities"] == 4
    assert cli.main(["kb", "--kb", kbfile, "lookup", "Marta Quelennec", "--date", "2022-01-01",
                     "--format", "json"]) == 0
    rec = json.loads(capsys.readouterr().out)["records"][0]
    assert rec["id"] == "Q999000010" and rec["offices"][0]["role"] == "secretary_general"
    assert cli.main(["kb", "--kb", kbfile, "lookup", "Bruxelles"]) == 0
    assert "GPE" in capsys.readouterr().out
    assert cli.main(["kb", "--kb", kbfile, "lookup", "Zzyzxq Nowhere"]) == 1
    assert cli.main(["kb", "--kb", kbfile, "import", str(tmp_path / "missing.json")]) == 2


def test_cli_kb_build_keeps_imports(tmp_path, capsys):
    from depeche import cli

    kbfile = str(tmp_path / "kb.sqlite")
    assert cli.main(["kb", "--kb", kbfile, "import", str(DUMP)]) == 0
    capsys.readouterr()
    assert cli.main(["kb", "--kb", kbfile, "build", "--format", "json"]) == 0
    st = json.loads(capsys.readouterr().out)
    assert st["GPE"] > 20_000 and st["imported"] == 4  # GeoNames cities, and the import survived
    assert cli.main(["kb", "--kb", kbfile, "lookup", "Port-Quelenn", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["records"][0]["coordinates"] == [47.25, -3.5]


def test_a_broken_data_file_is_skipped_not_fatal(tmp_path):
    files = fixture_files() + [("zz_broken.toml", "[[org]]\nkey = \"x\"\nname = \n")]
    kb = K.open_kb(tmp_path / "kb.sqlite", files=files, with_geo=False)
    assert kb.lookup("OTAN").key == "nato"
    assert len(kb.skipped()) == 1 and "zz_broken.toml" in kb.skipped()[0]
    kb.close()


def test_an_import_is_seen_by_the_next_lookup(small_kb):
    # Lookups are cached per query; an import must not leave stale answers.
    assert small_kb.lookup("Marta Quelennec") is None
    assert small_kb.get("Q999000010") is None
    small_kb.import_dump(DUMP)
    assert small_kb.lookup("Marta Quelennec").kb_id == "Q999000010"
    assert small_kb.get("Q999000010").name == "Marta Quelennec"


def _person(qid, name, position=None, coords=None, precision=11):
    claims = {"P31": [{"mainsnak": {"snaktype": "value", "datavalue": {"value": {"id": "Q5"}}}}]}
    if position:
        claims["P39"] = [{"mainsnak": {"snaktype": "value", "datavalue": {"value": {"id": position}}},
                          "qualifiers": {"P580": [{"snaktype": "value", "datavalue": {
                              "value": {"time": "+2020-01-01T00:00:00Z", "precision": precision}}}]}}]
    if coords:
        claims["P625"] = [{"mainsnak": {"snaktype": "value", "datavalue": {"value": coords}}}]
    return {"type": "item", "id": qid, "labels": {"fr": {"language": "fr", "value": name}}, "claims": claims}


def _dump(tmp_path, entities, cut=False):
    lines = ["["] + [json.dumps(e, ensure_ascii=False) + "," for e in entities] + ["]"]
    text = "\n".join(lines)
    if cut:  # the file ends in the middle of the last entity
        text = text[: text.rindex("\n{") + 40]
    p = tmp_path / "dump.json"
    p.write_text(text, encoding="utf-8")
    return p


def test_a_position_without_label_is_skipped_and_counted(small_kb, tmp_path):
    st = small_kb.import_dump(_dump(tmp_path, [_person("Q999100001", "Ilse Varnholt", position="Q999100099")]))
    assert st.entities == 1 and st.positions == 0 and st.unlabelled_positions == 1
    rec = small_kb.lookup("Ilse Varnholt")
    assert small_kb.roles(rec, "2021-01-01") == []  # no office with a None title reaches the entities stage


@pytest.mark.parametrize("coords, precision", [
    ({"latitude": "nord", "longitude": 2.5}, 11),
    ({"latitude": 48.1, "longitude": None}, 11),
    ({"latitude": 48.1, "longitude": 2.5}, "jour"),
])
def test_malformed_values_are_left_out_and_counted(small_kb, tmp_path, coords, precision):
    st = small_kb.import_dump(_dump(tmp_path, [_person("Q999100002", "Odo Brennicke", coords=coords,
                                                       position="Q999000020", precision=precision)]))
    assert st.entities == 1
    rec = small_kb.lookup("Odo Brennicke")
    assert rec is not None
    if isinstance(precision, str):
        assert st.malformed == 0
    else:
        assert st.malformed == 1 and rec.lat is None


def test_a_dump_cut_in_the_middle_imports_nothing(small_kb, tmp_path):
    people = [_person(f"Q99910{n:04d}", f"Personne Tronquée {n}") for n in range(20)]
    with pytest.raises(KBError):
        small_kb.import_dump(_dump(tmp_path, people, cut=True))
    assert small_kb.lookup("Personne Tronquée 0") is None


@pytest.mark.parametrize("name, gender", [
    ("Karin", "Fem"), ("Moussa", "Masc"), ("Aminata", "Fem"), ("Paulo", "Masc"), ("Ségolène", "Fem"),
    # ambiguous across countries, or no given name at all
    ("Dominique", None), ("Camille", None), ("Bruxelles", None), ("", None),
])
def test_given_name_gender(name, gender):
    from depeche.kb import given_name_gender
    assert given_name_gender(name) == gender


@pytest.mark.parametrize("word, expected", [
    ("Valaisanne", ("CH", "Valais")),
    ("Gantois", ("BE", "Gand")),
    ("Bretonnes", ("FR", "Bretagne")),
    ("Italien", None),  # a nationality: kb.demonym's table, not a place's
    ("Ministre", None),
])
def test_place_demonym(word, expected):
    from depeche.kb import place_demonym
    assert place_demonym(word) == expected


@pytest.mark.parametrize("word, gender", [
    ("Autrichien", "Masc"), ("Autrichienne", "Fem"), ("Sénégalaises", "Fem"),
    ("Russe", None), ("Bretonne", "Fem"), ("Chaise", None),
])
def test_demonym_gender(word, gender):
    from depeche.kb import demonym_gender
    assert demonym_gender(word) == gender
