from pathlib import Path

import pytest

from matcher import taxonomy
from matcher.exceptions import TaxonomyError
from matcher.taxonomy import (
    ConceptMapper,
    LabelIndex,
    SkillVocabulary,
    concept_mapper,
    default_vocabulary,
    embedded_vocabulary,
    import_esco,
    shipped_esco,
)

ESCO_DIR = Path(__file__).resolve().parents[3] / "shared" / "esco"


@pytest.fixture(scope="module")
def mapper():
    return ConceptMapper(embedded_vocabulary())


def concepts(mapper, text, phrase=True):
    return {hit.concept for hit in mapper.find(text, phrase=phrase)}


@pytest.mark.parametrize(
    ("concept", "texts"),
    [
        (
            "welding",
            ["hitsaus", "svetsning", "welding", "hitsauksessa", "svetsningen", "weldng", "Welding"],
        ),
        (
            "forklift_licence",
            [
                "trukkikortti",
                "truckkort",
                "forklift licence",
                "forklift license",
                "trukkikortin",
                "truckkortet",
            ],
        ),
        (
            "registered_nurse",
            ["sairaanhoitaja", "sjukskötare", "registered nurse", "sairaanhoitajana"],
        ),
        ("welder", ["hitsaaja", "svetsare", "welder", "hitsaajana"]),
        ("practical_nurse", ["lähihoitaja", "närvårdare", "practical nurse", "lähihoitajana"]),
        ("hygiene_passport", ["hygieniapassi", "hygienpass", "hygiene passport"]),
    ],
)
def test_the_same_skill_in_three_languages_inflected_and_misspelt(mapper, concept, texts):
    for text in texts:
        assert concept in concepts(mapper, text), text


@pytest.mark.parametrize("text", ["putkihitsaus", "hitsaustyöt"])
def test_compounds_reveal_their_parts(mapper, text):
    assert "welding" in concepts(mapper, text)


def test_free_text_finds_several_concepts(mapper):
    found = concepts(
        mapper,
        "Olen työskennellyt hitsaajana kymmenen vuotta, minulla on trukkikortti.",
        phrase=False,
    )
    assert {"welder", "forklift_licence"} <= found


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Hitsaaja", ("welder",)),
        ("hitsaajana", ("welder",)),  # inflected
        ("SVETSARE", ("welder",)),
        ("Hitsaaja ja asentaja", ()),  # contains a label, is none
        ("", ()),
    ],
)
def test_a_text_names_a_concept_only_as_a_whole_label(mapper, text, named):
    assert mapper.named(text) == named


@pytest.mark.parametrize("text", ["the", "ja", "och", "", "123", "asdfghjkl"])
def test_noise_maps_to_nothing(mapper, text):
    assert concepts(mapper, text, phrase=False) == set()


def test_unrelated_skills_do_not_collide(mapper):
    assert not concepts(mapper, "siivous") & concepts(mapper, "hitsaus")


def test_embedded_vocabulary_is_large_and_consistent():
    vocabulary = embedded_vocabulary()
    assert len(vocabulary) >= 300
    for concept in vocabulary.concepts.values():
        assert all(concept.labels[lang] for lang in ("fi", "sv", "en")), concept.id
        assert set(concept.implies) | set(concept.related) <= set(vocabulary.concepts), concept.id
    sectors = {c.sector for c in vocabulary.concepts.values()}
    assert {"metal", "boat_building", "health_social", "agriculture", "it"} <= sectors


def test_vocabulary_round_trips_through_jsonl():
    vocabulary = embedded_vocabulary()
    again = SkillVocabulary.from_jsonl(vocabulary.to_jsonl())
    assert again.concepts == vocabulary.concepts


@pytest.mark.parametrize(
    "line",
    ["{not json}", '["a", "b"]', "[" * 100_000, '{"id": "b", "en": ["b"], "n": ' + "1" * 999 + "}"],
)
def test_malformed_vocabulary_line_is_reported(line):
    with pytest.raises(TaxonomyError, match="line 2"):
        SkillVocabulary.from_jsonl('{"id": "a", "en": ["a"]}\n' + line + "\n")


def write_esco(directory: Path, relations_name: str = "occupationSkillRelations.csv") -> None:
    (directory / "skills_en.csv").write_text(
        "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,description\n"
        "KnowledgeSkillCompetence,urn:s1,skill/competence,x,use welding equipment,"
        '"weld metal\nwelding",d\n'
        "KnowledgeSkillCompetence,urn:s2,skill/competence,x,operate forklift,,d\n",
        encoding="utf-8",
    )
    (directory / "skills_fi.csv").write_text(
        "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,description\n"
        "KnowledgeSkillCompetence,urn:s1,skill/competence,x,käyttää hitsauslaitteita,,\n",
        encoding="utf-8",
    )
    (directory / "occupations_en.csv").write_text(
        "conceptType,conceptUri,iscoGroup,preferredLabel,altLabels,description,code\n"
        "Occupation,urn:o1,7212,welder,,d,7212.1\n",
        encoding="utf-8",
    )
    (directory / relations_name).write_text(
        "occupationUri,relationType,skillType,skillUri\n"
        "urn:o1,essential,skill/competence,urn:s1\nurn:o1,optional,skill/competence,urn:s2\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    "relations", ["occupationSkillRelations.csv", "occupationSkillRelations_en.csv"]
)
def test_import_esco_reads_the_official_layout(tmp_path, relations):
    write_esco(tmp_path, relations)
    vocabulary = import_esco(tmp_path)
    assert vocabulary["urn:s1"].labels["fi"] == ("käyttää hitsauslaitteita",)
    assert "weld metal" in vocabulary["urn:s1"].labels["en"]
    assert vocabulary["urn:o1"].type == "occupation"
    assert vocabulary.implies("urn:o1") == ("urn:s1",)


def test_import_esco_without_english_skills_fails_clearly(tmp_path):
    with pytest.raises(TaxonomyError, match="skills_en.csv"):
        import_esco(tmp_path)


@pytest.mark.skipif(not ESCO_DIR.is_dir(), reason="ESCO download not beside the project")
def test_import_the_real_esco_download():
    vocabulary = import_esco(ESCO_DIR)
    occupations = [c for c in vocabulary.concepts.values() if c.type == "occupation"]
    assert len(vocabulary) > 16_000 and len(occupations) > 2_900
    merged = embedded_vocabulary().merged(vocabulary)
    mapper = ConceptMapper(merged)
    welder = next(c.id for c in occupations if c.labels["en"][0] == "welder")
    assert vocabulary.implies(welder)
    hadoop = next(c.id for c in vocabulary.concepts.values() if c.labels["en"][0] == "Hadoop")
    assert hadoop in concepts(mapper, "Hadoop developer")
    # The region's concepts come first, in every language; ESCO reads the words they leave.
    assert concepts(mapper, "underwater welder") == concepts(mapper, "hitsaaja") == {"welder"}
    assert concepts(mapper, "welding") == concepts(mapper, "hitsaus") == {"welding"}


@pytest.mark.skipif(not ESCO_DIR.is_dir(), reason="ESCO download not beside the project")
def test_the_shipped_esco_is_the_official_download_imported():
    assert shipped_esco().fingerprint == import_esco(ESCO_DIR).fingerprint


def test_the_shipped_esco_lies_beneath_the_regions_vocabulary():
    esco = shipped_esco()
    occupations = [c for c in esco.concepts.values() if c.type == "occupation"]
    assert len(occupations) > 2_900 and len(esco) > 16_000
    assert all(c.labels["en"] and c.labels["fi"] and c.labels["sv"] for c in occupations)
    assert sum(bool(esco.implies(c.id)) for c in occupations) > 2_500
    assert default_vocabulary(esco=False) is embedded_vocabulary()
    assert len(default_vocabulary()) == len(embedded_vocabulary()) + len(shipped_esco())


def test_a_vocabularys_fingerprint_follows_its_concepts_not_its_name():
    embedded = embedded_vocabulary()
    renamed = SkillVocabulary(embedded.concepts.values(), "another name")
    assert renamed.fingerprint == embedded.fingerprint and len(embedded.fingerprint) == 64
    fewer = SkillVocabulary(list(embedded.concepts.values())[1:], embedded.name)
    assert fewer.fingerprint != embedded.fingerprint


@pytest.fixture(scope="module")
def esco_mapper():
    return concept_mapper(default_vocabulary())


@pytest.mark.parametrize("word", ["equipment", "design", "designing", "manager", "teacher"])
def test_a_word_that_stands_in_hundreds_of_esco_labels_names_no_esco_concept(esco_mapper, word):
    assert not {c for c in concepts(esco_mapper, word) if c.startswith("http")}


@pytest.mark.parametrize("word", ["Hadoop", "mortician", "advocate", "translator"])
def test_a_specific_esco_word_still_names_its_concept(esco_mapper, word):
    assert any(c.startswith("http://data.europa.eu/esco/") for c in concepts(esco_mapper, word))


def _indexed(mapper) -> list[tuple]:
    return [(layer.exact, layer.stemmed, layer.label_words) for layer in mapper._layers]


def _not_indexed(*args, **kwargs):
    raise AssertionError("indexed again instead of read")


def test_a_large_layer_is_compiled_once_and_read_by_the_next_process(tmp_path, monkeypatch):
    monkeypatch.setenv(taxonomy.CACHE_ENV, str(tmp_path))
    monkeypatch.setattr(taxonomy, "COMPILED_LAYER", 100)
    vocabulary = embedded_vocabulary()
    built = ConceptMapper(vocabulary)
    (compiled,) = tmp_path.glob("labels-*.pickle")
    with monkeypatch.context() as patch:
        patch.setattr(LabelIndex, "__init__", _not_indexed)
        read = ConceptMapper(vocabulary)
    text = "hitsaajana, svetsare, forklfit"
    assert _indexed(read) == _indexed(built) and read.find(text) == built.find(text)
    assert (compiled.stat().st_mode & 0o777) == 0o600
    # Another cut for generic words is another index; a broken file is compiled again.
    source = f"{vocabulary.fingerprint} own"
    LabelIndex.compiled(list(vocabulary.concepts.values()), 5, source)
    assert len(list(tmp_path.glob("labels-*.pickle"))) == 2
    compiled.write_bytes(b"not a pickle")
    assert _indexed(ConceptMapper(vocabulary)) == _indexed(built)
    assert compiled.read_bytes() != b"not a pickle"


def test_a_small_layer_or_an_empty_cache_setting_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(taxonomy.CACHE_ENV, str(tmp_path))
    ConceptMapper(embedded_vocabulary())
    monkeypatch.setattr(taxonomy, "COMPILED_LAYER", 100)
    monkeypatch.setenv(taxonomy.CACHE_ENV, "")
    ConceptMapper(embedded_vocabulary())
    assert not list(tmp_path.iterdir())


def test_a_word_of_any_length_is_split_into_parts_of_bounded_length():
    from matcher.taxonomy import MAX_COMPOUND_PART, _compound_parts

    modifiers, heads = _compound_parts("a" * 100_000)
    assert len(modifiers) == len(heads) <= MAX_COMPOUND_PART
    assert max(map(len, modifiers + heads)) == MAX_COMPOUND_PART
    # A real compound still splits: its known head is found.
    assert "hitsaaja" in _compound_parts("putkihitsaaja")[1]
