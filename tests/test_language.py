"""The narration speaks the routine's language: every cue from that language's table, a voice
of that language, and the language carried from the parser to plan --json and the tags."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from mutagen.id3 import ID3
from test_cli import run

import narrator
from narrator.model import Exercise, Hold, Routine
from narrator.options import Options, ParseOptions, SessionOptions, VoiceOptions
from narrator.parse import parse_text, routine_to_toml
from narrator.script.compile import compile_routine
from narrator.script.cues import CUES, languages, narration_language, phrases
from narrator.session import spoken_script
from narrator.speech.base import choose_engine
from narrator.speech.speakable import speakable

# Test routines in our own words, one per language the e2e tests build.
GERMAN = """\
# Ruhige Dehnung am Abend

Drei leichte Übungen vor dem Schlafengehen.

## 1. Knie zur Brust

Legen Sie sich auf den Rücken und ziehen Sie ein Knie sanft zur Brust. Halten Sie 30 Sekunden
auf jeder Seite.

## 2. Katzenbuckel

Gehen Sie in den Vierfüßlerstand und runden Sie den Rücken langsam. Halten Sie 20 Sekunden.

## 3. Kindhaltung

Setzen Sie sich auf die Fersen und legen Sie die Stirn auf den Boden. Halten Sie 40 Sekunden.
"""

SPANISH = """\
# Estiramientos tranquilos para la noche

Tres ejercicios sencillos antes de dormir.

## 1. Rodilla al pecho

Túmbate boca arriba y lleva una rodilla despacio hacia el pecho. Mantén 30 segundos en cada
lado.

## 2. Gato enfadado

Ponte a cuatro patas y redondea la espalda poco a poco. Mantén 20 segundos.

## 3. Postura del niño

Siéntate sobre los talones y apoya la frente en el suelo. Mantén 40 segundos.
"""

SIDES_AND_ROUNDS = Routine(
    title="Test",
    exercises=(
        Exercise("Alpha", ("First.",), (Hold(30, "right"), Hold(30, "left"))),
        Exercise("Beta", ("Second.",), (Hold(45, None, 1), Hold(45, None, 2))),
        Exercise("Gamma", ("Third.",),
                 (Hold(20, "left", 1), Hold(20, "right", 1), Hold(20, "left", 2))),
        Exercise("Delta", ("Fourth.",), (Hold(125, None),)),
    ),
    equipment=("a mat",),
)

ENGLISH_CUE_WORDS = re.compile(
    r"\b(Stretch \d|Switch|Halfway|Well done|Hold for|Release|Once more|Start with|"
    r"session|seconds?|minutes?|stretches|holds|a mat|Let's begin|bell|Round \d|"
    r"left|right|side)\b")
"""What an English cue would leave in another language's script."""


def _english_left(text: str, language: str, allowed: str = "") -> list[str]:
    """The English cue words in `text` that are not words of `language`'s own cue table (French
    says "minutes" too) nor of `allowed` (the routine's own text)."""
    table = phrases(language)
    own = " ".join([*table.cues.values(), *table.words.values(), *table.durations.values(),
                    allowed])
    known = set(re.findall(r"[\w']+", own.lower()))
    return [m.group(0) for m in ENGLISH_CUE_WORDS.finditer(text)
            if not set(re.findall(r"[\w']+", m.group(0).lower())) <= known]


def _cue_texts(routine: Routine, language: str) -> list[str]:
    """Every text the compiler makes from the cue table (the routine's own words left out)."""
    script = compile_routine(routine, SessionOptions(rounds=2), total_minutes=9,
                             language=language)
    own = {routine.title + ".", *(i for e in routine.exercises for i in e.instructions)}
    return [t for t in script.said_in_order() if t not in own]


def test_every_cue_language_is_there() -> None:
    assert set(languages()) == {"en", "de", "es", "fr", "it", "pt"}


@pytest.mark.parametrize("language", ["de", "es", "fr", "it", "pt"])
def test_no_english_is_left_in_another_languages_cues(language: str) -> None:
    said = _cue_texts(SIDES_AND_ROUNDS, language)
    english = _cue_texts(SIDES_AND_ROUNDS, "en")
    assert len(said) == len(english)  # the same cues, in the same places
    assert [t for t in said if _english_left(t, language)] == []
    # Every cue kind's text differs from the English one, except bare numbers and names.
    table, en = phrases(language), phrases("en")
    same = [c.kind for c in CUES if table.cues[c.kind] == en.cues[c.kind]]
    assert set(same) <= {"title", "countdown"}


@pytest.mark.parametrize("language", ["en", "de", "es", "fr", "it", "pt"])
def test_each_language_says_the_cues_it_should(language: str) -> None:
    say = phrases(language)
    script = spoken_script(compile_routine(SIDES_AND_ROUNDS, SessionOptions(),
                                           total_minutes=9, language=language), language)
    assert say.say("announce", number=1, count=4, name="Alpha") in script
    assert say.say("halfway", remaining=say.duration(15)) in script
    assert say.say("next", name="Beta") in script
    assert say.say("end") in script
    assert say.hold_marker(30, "left") in script
    assert say.equipment(("a mat",)) in script
    assert say.duration(125) == say.durations["minutes_and_seconds"].format(
        minutes=say.durations["minutes"].format(n=2), seconds=say.durations["seconds"].format(n=5))


@pytest.mark.parametrize(
    ("language", "written", "said"),
    [
        ("de", "Halten Sie 30-60 Sek.", "Halten Sie 30 bis 60 Sekunden."),
        ("de", "10 Wdh. auf jeder Seite, 2x", "10 Wiederholungen auf jeder Seite, 2 Mal"),
        ("es", "Mantén 1 min, 3x", "Mantén 1 minuto, 3 veces"),
        ("fr", "Tenez 20-30 s", "Tenez 20 à 30 secondes"),
        ("it", "Mantieni 45 sec", "Mantieni 45 secondi"),
        ("pt", "Mantenha 1 min, 10 reps", "Mantenha 1 minuto, 10 repetições"),
        ("en", "Hold 20-30s, 2x", "Hold 20 to 30 seconds, 2 times"),
    ],
)
def test_written_forms_are_said_in_the_routines_language(language: str, written: str,
                                                          said: str) -> None:
    assert speakable(written, language) == said


def test_a_language_without_cues_is_narrated_in_english() -> None:
    assert narration_language("xx") == "en"
    assert narration_language("es") == "es"


def test_the_parser_gives_the_routine_its_language_and_toml_keeps_it() -> None:
    routine = parse_text(GERMAN, source="abend.md")
    assert routine.language == "de"
    again = parse_text(routine_to_toml(routine), source="abend.toml", fmt="toml")
    assert again.language == "de"
    assert parse_text(SPANISH, source="noche.md").language == "es"


def test_language_option_sets_the_narration_language_of_a_toml_routine(tmp_path: Path) -> None:
    source = tmp_path / "r.toml"
    source.write_text(routine_to_toml(SIDES_AND_ROUNDS), encoding="utf-8")
    assert narrator.read_routine(source).language == "en"
    routine = narrator.read_routine(source, Options(parse=ParseOptions(language="fr")))
    assert routine.language == "fr"


def test_the_voice_follows_the_language() -> None:
    for language, voice in [("en", "gmw/en"), ("de", "gmw/de"), ("es", "roa/es"),
                            ("fr", "roa/fr"), ("it", "roa/it"), ("pt", "roa/pt-br")]:
        engine, choice = choose_engine(VoiceOptions(), language)
        assert (engine.voice_id, choice.voice, choice.note) == (voice, voice, None)
    # A voice asked for by name is kept whatever the language.
    _, choice = choose_engine(VoiceOptions(voice="gmw/en-gb-x-rp"), "de")
    assert choice.voice == "gmw/en-gb-x-rp"


def test_piper_lacking_the_language_falls_back_to_espeak() -> None:
    # Known without loading Piper (or having it installed): its only voice is English.
    engine, choice = choose_engine(VoiceOptions(engine="piper"), "de")
    assert (engine.name, choice.engine, choice.voice) == ("pyttsx3", "pyttsx3", "gmw/de")
    assert choice.note is not None and "piper has no de voice" in choice.note


def test_plan_names_the_fallback_in_one_note_line(capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path) -> None:
    source = tmp_path / "abend.md"
    source.write_text(GERMAN, encoding="utf-8")
    code, out, _ = run(capsys, "plan", str(source), "--engine", "piper")
    assert code == 0
    notes = [line for line in out.splitlines() if "piper" in line]
    assert notes == ["  note: piper has no de voice: eSpeak NG (gmw/de) speaks this routine"]
    code, out, _ = run(capsys, "plan", str(source), "--engine", "piper", "--json")
    plan = json.loads(out)
    assert (plan["language"], plan["voice"], plan["engine"]) == ("de", "gmw/de", "pyttsx3")


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("text", "language", "voice", "wanted"),
    [
        (GERMAN, "de", "gmw/de",
         ["[Einleitung]", "Übung 1 von 3: Knie zur Brust.",
          "Beginnen Sie rechts. Halten Sie die Dehnung 20 Sekunden lang.",
          "Halbzeit. Noch 10 Sekunden.", "Seitenwechsel. Jetzt links, 20 Sekunden.",
          "Gut gemacht. Als Nächstes: Katzenbuckel.", "Sie brauchen eine Matte.",
          "(halten, 20 s, links)", "[Abschluss]", "Die Einheit ist zu Ende. Gut gemacht."]),
        (SPANISH, "es", "roa/es",
         ["[Introducción]", "Estiramiento 1 de 3: Rodilla al pecho.",
          "Empieza por el lado derecho. Mantén la postura 20 segundos.",
          "Vas por la mitad: 10 segundos más.",
          "Cambia de lado. Lado izquierdo, 20 segundos.",
          "Muy bien. A continuación: Gato enfadado.", "Necesitarás una colchoneta.",
          "[Final]", "Aquí termina la sesión. Muy bien hecho."]),
    ],
    ids=["de", "es"],
)
def test_a_routine_builds_with_every_cue_in_its_language(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, language: str,
        voice: str, wanted: list[str]) -> None:
    source = tmp_path / f"{language}.md"
    source.write_text(text, encoding="utf-8")
    quick = ("--hold", "20", "--ready", "1", "--switch", "1", "--rest", "1")
    code, out, _ = run(capsys, "plan", str(source), "--json", *quick)
    assert code == 0
    plan = json.loads(out)
    assert (plan["language"], plan["voice"]) == (language, voice)
    out_file = tmp_path / "session.mp3"
    code, _, err = run(capsys, "build", str(source), "-o", str(out_file), *quick)
    assert code == 0, err
    lyrics = ID3(out_file).getall("USLT")[0].text
    for line in wanted:
        assert line in lyrics.splitlines()
    # The countdown is said in the hold too, and nothing of the English cue table is left.
    assert lyrics.count("\n3\n2\n1\n") == 4
    assert _english_left(lyrics, language, allowed=text) == []
