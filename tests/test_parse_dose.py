"""The dose inside one exercise: each form a routine writes it in, read as the corpus
conventions say (tests/corpus/README.md). Texts are our own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrator.model import Exercise, Routine, Sets
from narrator.parse import ParseOptions, parse_text, routine_to_toml
from narrator.parse.lang import load
from narrator.parse.timing import read_timing


def _routine(body: str, *, intro: str = "", options: ParseOptions | None = None) -> Routine:
    """The exercise under test between two plain ones, so the list has a shape."""
    text = (f"# Evening stretches\n\n{intro}\n\n"
            "## 1. Calf Stretch\n\nLean on a wall with one heel back. Hold for 25 seconds.\n\n"
            f"## 2. Test Stretch\n\n{body}\n\n"
            "## 3. Hamstring Stretch\n\nSit with one leg long and reach for your toes. Hold "
            "for 20 seconds.\n")
    return parse_text(text, source="dose.md", fmt="markdown", options=options or ParseOptions())


def under_test(routine: Routine) -> Exercise:
    (exercise,) = [e for e in routine.exercises if e.name == "Test Stretch"]
    return exercise


def plan(body: str, **kwargs: object) -> str:
    """The tested exercise's holds as the corpus writes them: "30R 30L", "45 45"."""
    exercise = under_test(_routine(body, **kwargs))  # type: ignore[arg-type]
    return " ".join(f"{h.seconds:g}" + {"right": "R", "left": "L", None: ""}[h.side]
                    for h in exercise.holds)


@pytest.mark.parametrize(("body", "expected"), [
    ("Sit tall and lean forward. Stay there for between 30 and 60 seconds.", "60"),
    ("Drop your ear to the shoulder. Stay anywhere from 15 seconds all the way up to a minute.",
     "60"),
    ("Lie on your back and let your knees drop. Stay here for 3-5 mins.", "300"),
    ("Kneel and fold forward. Take five deep breaths, about 30 seconds.", "30"),
    ("Kneel and fold forward. Hold for about 30 seconds (five slow breaths).", "30"),
    ("Kneel and fold forward. Take five deep breaths.", "25"),
    ("Step forward and lower the back knee. Do 10-12 lunges on each side.", "36R 36L"),
    ("Lie on your back and lift your hips. 2 sets of 15.", "45 45"),
    ("Lie on your back and lift your hips. 3 x 10", "30 30 30"),
    ("Hang from a bar with straight arms. 3 x 30 s", "30 30 30"),
    ("Lie on your back and lift your hips. 15 bridges.", "45"),
    ("Point your toes away, then pull them back. Do 20 ankle pumps.", "60"),
    ("One palm presses up, the other presses down. Hold for 20 seconds.", "20"),
    ("Jog easily, building speed. 20-30 m strides, walk back.", "30"),
    ("Swing one leg forward and back. Ten reps.", "30"),
    ("Reach both arms up. Hold for thirty seconds.", "30"),
    ("Reach both arms up. Hold twenty-five seconds, twice.", "25 25"),
    # A second dose after "or" is a choice the reader may take instead, not more holds.
    ("Lean forward from the hips. Hold for 20 seconds or 2 x 10 to 12 seconds.", "20"),
    ("Lean forward from the hips. Hold 30 seconds or 5 breaths, repeat twice.", "30 30"),
    ("Lean forward from the hips. Hold 20 or 30 seconds, 3 times.", "30 30 30"),
    # The same hold again after going deeper: two holds, not one said twice.
    ("Sit and fold forward. Hold for 3 breaths, then sink deeper and hold for 3 more "
     "breaths.", "15 15"),
    # Two clock times joined by a dash are a span of the day, not a hold of 9 minutes.
    ("Stand tall and reach up. The class runs 9:00\u201310:30 in studio 2.", "30"),
    # The other side, said without an article or a noun.
    ("Pull the right heel back. Hold 20 seconds, then repeat with left leg.", "20R 20L"),
    ("Pull one heel back and hold 20 seconds. Do all the holds, then do the other.",
     "20R 20L"),
    # The other side named after the repeat's own verb; a count "in all" is both sides'.
    ("Hold the right foot behind you for 30 seconds, then repeat holding the left foot.",
     "30R 30L"),
    ("Hold the right foot behind you for 30 seconds, then repeat holding the left foot. "
     "Do 4 repetitions in all.", "30R 30L 30R 30L"),
    ("Fold forward and stay for 40 seconds, rest briefly, then go again.", "40 40"),
    # A count of both sides, then each side's in brackets: the bracket's is each side's.
    ("Lie face down and press the shoulders back - 20 repetitions (10 each side).",
     "30R 30L"),
    # "Alternate legs" opening its own sentence after the hold is the other side; inside
    # one movement's sentence it is not.
    ("Draw the knee across and hold for 30 seconds. Alternate legs.", "30R 30L"),
    ("Hold for 20 seconds Alternate legs for 20 seconds.", "20R 20L"),
    ("March on the spot for 30 seconds, alternate legs in a steady rhythm.", "30"),
    # "Each stretch ... 30 seconds each": the second "each" is the stretches', not sides.
    ("Lie on your back and hug both knees in. Each stretch should be held for about 30 "
     "seconds each.", "30"),
    # The other side named, then "and hold" to end its sentence.
    ("Turn your head toward the left and hold. Then turn toward the right and hold.",
     "30L 30R"),
    # "the same leg ... the opposite leg" inside one walking movement: no second side.
    ("Step forward on the same leg and kick the opposite leg up toward your hand. Switch "
     "legs as you walk.", "30"),
    # "Do it on the other side": the other side after "do it" as after "repeat".
    ("Turn your head to the right and hold for five seconds. Do it on the other side.",
     "5R 5L"),
    # "One side, then the other": both sides, each held.
    ("One side, then the other, push the pelvis across as you bend. Hold 20 seconds.",
     "20R 20L"),
    # "A minute or two" is one time, its upper end; what follows it is still read.
    ("Hold for a minute or two and repeat on the opposite side.", "120R 120L"),
    # "You can repeat the exercise": once more, as a bare "repeat" is.
    ("Hold for 5 seconds and let go. You can repeat the exercise.", "5 5"),
    # "Repeat the motion." closes a warm-up move the same way.
    ("Hold the club overhead for 10 seconds, then lower it. Repeat the motion.", "10 10"),
    # Seconds that pace the breaths are no hold: six breaths at 5 s each.
    ("Let the knees drop to one side, then the other. Stay on each side for 4-6 breaths "
     "(in for 3 seconds, out for 3 seconds).", "30R 30L"),
    # So is the breath held between them.
    ("Stand tall. Stay in this pose for 2 minutes, breathing in for 3 seconds, holding the "
     "breath for 3 seconds and breathing out for 3 seconds.", "120"),
    # So are counts that pace them: the hold is the seconds said after.
    ("Sit tall and lean to the left. Inhale for 4 counts; exhale for 4 counts. Keep breathing "
     "like this and hold the stretch for 20 to 30 seconds.", "30"),
    # "One more round" on both sides is a round, not the other side.
    ("Draw the left knee in and hold for 60 seconds. Then draw the right knee in and hold "
     "for 60 seconds. Do one more round on both the left and right sides.", "60L 60R 60L 60R"),
    # The same hold said for each new position is that many holds, "once more" the last.
    ("Lift your arms behind you. Hold 30 seconds. Drop your head and hold 30 seconds. Look "
     "up once more and hold 30 seconds.", "30 30 30"),
    # "N breaths more" after the same hold is one more, unless said with the other side.
    ("Fold forward for 3 breaths, then sink deeper and hold for 3 more breaths.", "15 15"),
    ("Sit cross-legged for 8 breaths, then cross the legs the other way and stay 8 breaths "
     "more.", "40R 40L"),
    # "in for" with no "out for" is the body going in, held: "hug both knees in for 20s".
    ("Lie on your back and hug both knees in for 20s.", "20"),
    # "On either side of the frame" places the forearms; it is no second side.
    ("Rest your forearms on either side of the door frame and step through. Hold 30 seconds. "
     "Repeat two times.", "30 30"),
    # A clock after a date is when the page was posted, not six minutes.
    ("Posted 21/03/2021 06:00. Lean into the wall with the back heel down for 30 seconds.",
     "30"),
])
def test_a_dose_form(body: str, expected: str) -> None:
    assert plan(body) == expected


def test_several_holds_in_one_exercise_are_each_held() -> None:
    body = ("Sit on your heels and hold for 10 seconds. Then walk your hands further out and "
            "hold for 30 seconds.")
    assert plan(body) == "10 30"
    assert "several holds" in " ".join(under_test(_routine(body)).notes)


def test_a_dose_said_in_the_name_and_again_below_is_one_hold() -> None:
    text = ("## 1. Cobra (hold 20 seconds)\n\nLie face down and press up. Hold for 20-30 "
            "seconds.\n\n## 2. Child's Pose\n\nSit back on your heels. Hold 40 seconds.\n")
    routine = parse_text(text, fmt="markdown")
    assert [h.seconds for h in routine.exercises[0].holds] == [30]


def test_sets_of_reps_are_one_timed_hold_each_with_their_rest() -> None:
    routine = _routine("Lie on your back and lift your hips. 2 sets of 10 reps, rest 30 "
                       "seconds between sets.")
    exercise = under_test(routine)
    assert [h.seconds for h in exercise.holds] == [30, 30]
    assert [h.repetition for h in exercise.holds] == [1, 2]
    assert exercise.sets == Sets(count=2, reps=10, rest=30)
    assert exercise.sets.describe() == "2 sets of 10 reps, 30 s rest"


def test_a_hold_per_rep_is_one_hold_per_rep_and_sets_multiply_it() -> None:
    short = _routine("Lie down and rotate your knees. Sets: 2. Reps: 5. Hold: 3 seconds.")
    assert [h.seconds for h in under_test(short).holds] == [3] * 10
    assert under_test(short).sets == Sets(2, 5)
    assert [under_test(short).ends_a_set(i) for i in range(10)] == [False] * 4 + [True] + [
        False] * 5
    long = _routine("Kneel and sit back. Reps: 3. Hold: 30 seconds.")
    assert [h.seconds for h in under_test(long).holds] == [30, 30, 30]
    assert under_test(long).sets is None


def test_sets_with_a_hold_per_rep_survive_the_toml_round_trip() -> None:
    routine = _routine("Lie down and rotate your knees. 2 sets of 4 reps, hold 5 seconds, "
                       "rest 20 seconds between sets.")
    assert under_test(routine).sets == Sets(2, 4, 20)
    assert parse_text(routine_to_toml(routine), fmt="toml", source="dose.md") == routine


def test_sets_survive_the_toml_round_trip() -> None:
    routine = _routine("Lie on your back and lift your hips. 2 sets of 10 reps, rest 30 seconds "
                       "between sets.")
    text = routine_to_toml(routine)
    assert "sets = { count = 2, reps = 10, rest = 30 }" in text
    again = parse_text(text, fmt="toml", source="dose.md")
    assert again == routine


@pytest.mark.parametrize(("sets", "error"), [
    ("{ count = 0 }", "sets.count must be a whole number from 1 to 100"),
    ("{ count = 2, reps = 1.5 }", "sets.reps must be a whole number"),
    ("{ count = 2, rest = -3 }", "sets.rest must be a positive number of seconds"),
    ("{ count = 2, pause = 3 }", "sets.pause is not a key of sets"),
    ("{ count = 3 }\nrepeat = 4", "sets.count is 3 but the holds make 4 repetitions"),
    ("3", "sets must be a table"),
])
def test_a_wrong_sets_table_is_named(sets: str, error: str) -> None:
    from narrator.errors import SourceError

    text = f'title = "x"\n[[exercise]]\nname = "Bridge"\nhold = 30\nsets = {sets}\n'
    with pytest.raises(SourceError, match=error):
        parse_text(text, fmt="toml")


def test_a_blank_left_to_fill_in_is_no_dose() -> None:
    assert plan("Lie on your back and hug both knees. Hold ____ seconds. Repeat ........ "
                "times.") == "30"


@pytest.mark.parametrize(("body", "ignored"), [
    ("Sit and breathe. A hold of 660 s is too long for anyone.", "660 s"),
    ("Sit and breathe. Hold for 0 seconds, then go on.", "0 seconds"),
    ("Sit and breathe. Stay here for 45 minutes.", "45 minutes"),
])
def test_a_duration_that_is_no_hold_is_dropped_with_a_note(body: str, ignored: str) -> None:
    exercise = under_test(_routine(body))
    assert [h.seconds for h in exercise.holds] == [30]
    assert f"ignored '{ignored}': not a hold length" in exercise.notes


def test_breaths_that_add_up_to_no_hold_are_dropped() -> None:
    exercise = under_test(_routine("Lie still and take 200 breaths."))
    assert [h.seconds for h in exercise.holds] == [30]
    assert "ignored '1000 s': not a hold length" in exercise.notes


def test_plan_and_its_json_show_sets_and_every_hold(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from narrator.cli.commands import main

    source = tmp_path / "sets.md"
    source.write_text(
        "# Two moves\n\n## 1. Glute Bridge\n\nLie on your back and lift your hips. 2 sets of "
        "10 reps, 30 s rest.\n\n## 2. Wall Sit\n\nSlide down a wall until your knees bend. "
        "Hold 20 seconds.\n", encoding="utf-8")
    for args in (["plan", str(source), "--json", "--ready", "1"],
                 ["plan", str(source), "--ready", "1"]):
        with pytest.raises(SystemExit) as done:
            main(args)
        assert done.value.code in (0, None)
    out = capsys.readouterr().out
    data = json.loads(out[: out.index("\n}\n") + 2])
    bridge = data["exercises"][0]
    assert bridge["holds"] == [30, 30]
    assert bridge["sets"] == {"count": 2, "reps": 10, "rest": 30}
    assert data["exercises"][1]["sets"] is None
    assert "Glute Bridge: 30s, 30s  [2 sets of 10 reps, 30 s rest]" in out


# --------------------------------------------------------------------------- languages

LANGUAGE_CASES = {
    # language: (a routine in our own words, its holds per exercise)
    "fr": ("""# Étirements du soir

## 1. Étirement des mollets
Placez-vous face au mur, une jambe tendue derrière. Tenez la position 30 à 45 secondes, puis
répétez avec l'autre jambe.

## 2. Posture de l'enfant
Asseyez-vous sur les talons et allongez les bras devant vous. Restez ainsi pendant dix
respirations profondes.

## 3. Rotation du dos
Allongé sur le dos, laissez tomber les genoux d'un côté. Gardez l'autre jambe au sol. Tenez 20
secondes, à répéter deux fois.

## 4. Fentes
Avancez une jambe et descendez le genou arrière. 3 séries de 10 répétitions.
""", ["45R 45L", "50", "20 20", "30 30 30"]),
    "it": ("""# Allungamento per la schiena

## 1. Allungamento dei polpacci
Appoggia le mani al muro con una gamba distesa dietro. Mantieni per 30 secondi per lato.

## 2. Posizione del bambino
Siediti sui talloni e porta le braccia in avanti. Resta in posizione per un minuto e mezzo.

## 3. Ponte
Sdraiati sulla schiena con le ginocchia piegate e solleva il bacino. Tieni 5 secondi, 10
ripetizioni.

## 4. Torsione da seduto
Siediti con le gambe distese e ruota il busto. Mantieni venti secondi, poi ripeti con l'altra
gamba.
""", ["30R 30L", "90", " ".join(["5"] * 10), "20R 20L"]),
    "pt": ("""# Rotina de alongamento

## 1. Alongamento da panturrilha
Apoie as mãos na parede com uma perna esticada atrás. Mantenha por 30 segundos de cada lado.

## 2. Postura da criança
Sente-se sobre os calcanhares e estenda os braços à frente. Fique nesta posição de 40 a 60
segundos.

## 3. Joelho ao peito
Deite-se de costas e puxe um joelho ao peito. Segure por vinte segundos. Repita 2 vezes e depois
repita com a outra perna.

## 4. Agachamento
Com os pés afastados, desça como se fosse sentar. 2 séries de 12 repetições.
""", ["30R 30L", "60", "20R 20L 20R 20L", "36 36"]),
    "de": ("""# Dehnprogramm für den Rücken

## 1. WADENDEHNUNG
Stellen Sie sich vor eine Wand, ein Bein gestreckt nach hinten. 30 Sekunden halten, dann mit dem
anderen Bein wiederholen.

## 2. KNIE ZUR BRUST
Legen Sie sich auf den Rücken und ziehen Sie beide Knie zur Brust. Zwischen 20 und 40 Sekunden
halten.

## 3. BRÜCKE
Legen Sie sich auf den Rücken und heben Sie das Becken. 3 x 10 Wiederholungen.
""", ["30R 30L", "40", "30 30 30"]),
    "es": ("""# Rutina de estiramientos

## 1. ESTIRAMIENTO DE GEMELOS
Apoya las manos en la pared con una pierna estirada atrás. Mantén 30 segundos y luego cambia de
pierna.

## 2. POSTURA DEL NIÑO
Siéntate sobre los talones y estira los brazos. Aguanta entre 30 y 60 segundos.

## 3. SENTADILLAS
Con los pies separados, baja como si fueras a sentarte. Haz 2 series de 15.
""", ["30R 30L", "60", "45 45"]),
}


@pytest.mark.parametrize("code", sorted(LANGUAGE_CASES))
def test_a_routine_in_each_language(code: str) -> None:
    text, expected = LANGUAGE_CASES[code]
    routine = parse_text(text, fmt="markdown")
    assert f"language: {load(code).name}" in routine.notes  # told apart by its words alone
    got = [" ".join(f"{h.seconds:g}" + {"right": "R", "left": "L", None: ""}[h.side]
                    for h in e.holds) for e in routine.exercises]
    assert got == expected


@pytest.mark.parametrize(("code", "text", "sides"), [
    ("fr", "Tenez 30 secondes puis répétez avec l'autre jambe.", True),
    ("fr", "Tenez 30 secondes de chaque côté.", True),
    ("fr", "Gardez l'autre jambe tendue et tenez 30 secondes.", False),
    ("it", "Mantieni 30 secondi per lato.", True),
    # A forum's or chat's shorthand for "per": "x" before the side.
    ("it", "affondo basso 30'' x gamba", True),
    ("es", "zancada 30'' x lado", True),
    ("pt", "afundo 30'' x lado", True),
    ("it", "tieni 3 x 30 secondi", False),
    ("it", "Tenete 30 secondi e cambiate lato.", True),
    ("it", "Restate 20 secondi e invertite.", True),
    # A cross-legged pose's other side is the other leg in front.
    ("pt", "Fique 30 segundos e repita a postura, mudando o cruzamento das pernas.", True),
    ("de", "30 Sekunden halten. Danach die Übung andersherum machen.", True),
    ("fr", "Après 20 secondes, faites l'inverse pour étirer l'autre mollet.", True),
    ("pt", "Fique na posição 30 segundos e passe para a perna seguinte.", True),
    ("it", "Tieni l'altra gamba distesa per 30 secondi.", False),
    ("pt", "Segure por 30 segundos e repita com a outra mão.", True),
    ("pt", "Segure o pé com a outra mão por 30 segundos.", False),
    ("es", "Mantén 30 segundos en cada lado.", True),
    ("es", "Mantén la otra pierna estirada 30 segundos.", False),
    ("de", "30 Sekunden halten, dann mit dem anderen Bein wiederholen.", True),
    ("de", "Das andere Bein bleibt 30 Sekunden gestreckt.", False),
    ("en", "Hold for 30 seconds, then repeat with the other leg.", True),
    ("en", "Keep the other leg straight and hold for 30 seconds.", False),
    ("en", "March on the spot, alternate knees, for 30 seconds.", False),
    ("en", "Circle the arms, then swing them the opposite way.", True),
    # Circles one way and then the other, counted for each direction, are both ways.
    ("es", "Dibuja círculos hacia atrás y hacia adelante. Haz 10 repeticiones en cada dirección.",
     True),
    ("pt", "Faça círculos com os ombros, 10 repetições em cada direção.", True),
    ("it", "Ruota le spalle, 10 ripetizioni per direzione.", True),
    ("fr", "Faites des cercles avec les épaules, 10 répétitions par direction.", True),
    # Changing hands or feet is the other side.
    ("es", "Tire suavemente de los dedos durante 10 segundos. Cambie de mano.", True),
    ("de", "Die Finger 10 Sekunden sanft zurückziehen, dann die Hand wechseln.", True),
    ("it", "Tira le dita per 10 secondi. Cambiare mano.", True),
    ("pt", "Puxe os dedos por 10 segundos e depois mude de mão.", True),
    ("fr", "Tenez 20 secondes, puis changez de pied.", True),
    # A bare "then switch" after the hold ends the sentence: the other side.
    ("fr", "Restez 30 secondes, puis changez.", True),
    ("es", "Mantén 20 segundos y cambia.", True),
    ("pt", "Segure 20 segundos e depois troque.", True),
    ("de", "Nach sieben Atemzügen löst du die Haltung und wechselst dann die Seite.", True),
    # A weight held in each hand is where it is held, not a second side.
    ("es", "Coge una en cada mano y sube los brazos. Realiza 10 repeticiones.", False),
    ("it", "Prendi una in ogni mano e solleva le braccia. Fai 10 ripetizioni.", False),
    ("pt", "Segure um em cada mão e levante os braços. Faça 10 repetições.", False),
])
def test_a_real_second_side_and_a_limb_placed(code: str, text: str, sides: bool) -> None:
    assert read_timing(text, load(code)).sides is sides


@pytest.mark.parametrize(("code", "text", "seconds"), [
    ("fr", "Tenez trente secondes.", 30),
    ("fr", "Maintenez une minute et demie.", 90),
    ("fr", "Tenir 20''.", 20),
    ("it", "Mantieni quarantacinque secondi.", 45),
    ("it", "Tenuta: 40-50 secondi.", 50),
    ("pt", "Mantenha por trinta e cinco segundos.", 35),
    ("pt", "Fique de 2 a 3 minutos.", 180),
    ("de", "Halten Sie die Dehnung 20 Sekunden bis zu einer Minute.", 60),
    # The time preferred after the least one is the hold.
    ("en", "Hold it at least 20 seconds, ideally a whole minute.", 60),
    ("en", "Hold 30 seconds, or better 45 seconds.", 45),
    ("de", "Mindestens 30 Sekunden halten, am besten aber eine ganze Minute.", 60),
    ("es", "Mantén al menos 20 segundos, idealmente 40 segundos.", 40),
    ("fr", "Tenez au moins 20 secondes, idéalement 40 secondes.", 40),
    ("it", "Tieni almeno 20 secondi, meglio ancora 40 secondi.", 40),
    ("pt", "Mantenha pelo menos 20 segundos, de preferência 40 segundos.", 40),
    # A smaller time after "ideally" prefers nothing: the hold stays the one said first.
    ("en", "Hold 60 seconds, ideally breathing out for 5 seconds each time.", 60),
])
def test_number_words_and_units(code: str, text: str, seconds: float) -> None:
    timing = read_timing(text, load(code))
    assert timing.main_duration is not None
    assert timing.main_duration.high == seconds


@pytest.mark.parametrize(("code", "text", "breaths"), [
    ("pt", "Tranquiliza o sistema nervoso através de uma respiração calma e atenta.", None),
    ("de", "Es beruhigt den Geist durch einen ruhigen Atemzug.", None),
    ("es", "Calma el sistema nervioso con una respiración tranquila.", None),
    ("fr", "Gardez la posture le temps d'une respiration.", 1),
    # The hold comes before the breath: a "for" after it holds nothing.
    ("en", "Stand tall, take a slow breath to settle, and get ready for the flow.", None),
    ("en", "Stay here for one breath, then step back.", 1),
])
def test_one_breath_is_a_hold_only_when_held(code: str, text: str, breaths: int | None,
                                             ) -> None:
    main = read_timing(text, load(code)).main_duration
    assert (main.high if main else None) == breaths


@pytest.mark.parametrize(("code", "text", "times"), [
    ("fr", "Répétez 3 fois.", 3),
    ("fr", "À répéter deux fois.", 2),
    ("it", "Ripeti 4 volte.", 4),
    ("pt", "Repita três vezes.", 3),
    ("fr", "Faites cet exercice 3 fois par jour.", None),
    ("it", "Due volte al giorno.", None),
    ("fr", "Tenez la posture 5 secondes. Vous pouvez répéter l'exercice.", 2),
])
def test_repetitions_and_how_often_a_day(code: str, text: str, times: int | None) -> None:
    assert read_timing(text, load(code)).times == times


def test_the_language_option_lists_all_six() -> None:
    from narrator.options import SPECS

    (spec,) = [s for s in SPECS if s.name == "language"]
    for code in ("en", "de", "es", "fr", "it", "pt"):
        assert code in spec.help
        assert spec.check_value is not None and spec.check_value(code) is None


# --------------------------------------------------------------------------- routine-wide rules

RULE_INTRO = ("Ease into each stretch until it pulls gently, then stay there for at least 20 "
              "seconds. Do each stretch 3 times.")


def test_a_rule_said_over_two_sentences_fills_an_exercise_with_no_dose() -> None:
    assert plan("Lie on your back and hug one knee in.", intro=RULE_INTRO) == "20 20 20"


def test_a_rule_fills_only_what_an_exercise_leaves_out() -> None:
    assert plan("Lean on a wall. Hold for 30 seconds on each leg.", intro=RULE_INTRO) == (
        "30R 30L 30R 30L 30R 30L")
    assert plan("Lean on a wall. Hold for 30 seconds, twice.", intro=RULE_INTRO) == "30 30"


@pytest.mark.parametrize(("intro", "expected"), [
    # The rule's paragraph counts in a sentence of its own, with no "each stretch" in it.
    ("Hold each stretch for 20 seconds. Doing the same stretch twice is best.", "20 20"),
    ("Hold each stretch for 20 seconds. Repeat 3 times.", "20 20 20"),
    # How often a week, or a count of sets, is no count of each stretch.
    ("Hold each stretch for 20 seconds. Do the routine three times a week.", "20"),
    ("Hold each stretch for 20 seconds. Finish with four sets of strides.", "20"),
])
def test_a_rule_counts_in_a_sentence_of_its_own(intro: str, expected: str) -> None:
    assert plan("Lie on your back and hug one knee in.", intro=intro) == expected


def test_a_blank_takes_the_rule() -> None:
    assert plan("Lie on your back and hug one knee in. Repeat ..........times.",
                intro=RULE_INTRO) == "20 20 20"


def test_one_exercise_hold_is_not_the_rule_for_the_others() -> None:
    # The other exercises' own holds are not a rule: the silent one gets the default.
    assert plan("Lie on your back and hug one knee in.") == "30"


@pytest.mark.parametrize(("text", "expected"), [
    ("Sets & Reps: 2 sets x 6 each leg", "18R 18L 18R 18L"),
    ("Sets & Reps: 3 sets x 15m", "30 30 30"),
    ("Repeticiones: 5     Series: 2. Mantenga 5 segundos.", " ".join(["5"] * 10)),
    ("Hold for 4 counts of 8.", "32"),
])
def test_labels_counts_and_distances(text: str, expected: str) -> None:
    code = "es" if "Series" in text else "en"
    body = f"Stand tall and move slowly. {text}" if code == "en" else f"Siéntese recto. {text}"
    if code == "en":
        assert plan(body) == expected
    else:
        routine = parse_text(f"# Tabla\n\n## 1. Cuello\n\nSiéntese recto. Mantenga 10 segundos."
                             f"\n\n## 2. Retracción\n\n{body}\n\n## 3. Hombros\n\nSiéntese "
                             "recto. Mantenga 20 segundos.\n", fmt="markdown")
        holds = routine.exercises[1].holds
        assert " ".join(f"{h.seconds:g}" for h in holds) == expected


def test_seconds_and_minutes_as_primes() -> None:
    lex = load("es")
    timing = read_timing("gemelo contra la valla 3x30'' cada pierna", lex)
    assert (timing.sets, timing.sides) == (3, True)
    assert timing.main_duration is not None and timing.main_duration.high == 30
    one = read_timing("psoas en zancada, 1' por lado", lex).main_duration
    assert one is not None and one.high == 60


@pytest.mark.parametrize(("body", "expected"), [
    ("Step the left foot forward and sink. Hold 40 seconds, then change legs.", "40L 40R"),
    ("Slide your right arm under the left. Hold 30 seconds, then switch.", "30R 30L"),
    ("Child's pose with a reach, 20 sec, L then R.", "20L 20R"),
    ("Kneel with the back shin up a sofa. 60s/side", "60R 60L"),
    ("Thread one arm under, staying for 30 seconds before switching.", "30R 30L"),
])
def test_sides_and_which_comes_first(body: str, expected: str) -> None:
    assert plan(body) == expected


def test_a_field_line_without_colons_and_one_named_side() -> None:
    body = ("Kneel with the sore foot in front.\n"
            "Sets 3 \u00b7 Reps 5 \u00b7 Hold 20 s \u00b7 Side Left")
    assert plan(body) == " ".join(["20L"] * 15)


@pytest.mark.parametrize(("text", "seconds"), [
    ("00:42 Neck rolls (30 sec)", [30]),
    ("Roll the head slowly. Hold 30 s.\nVideo \u25b6 0:48", [30]),
    ("B1  Deep squat hold ........ 2:00", [120]),
    # Opening hours in words: one clock is past any hold. A hold's own range is not.
    ("Hold 30 s. Book a visit: open 9:30 to 14:00 and 16:30 to 21:00", [30]),
    ("Hold for 1:30 to 2:00.", [90, 120]),
])
def test_timestamps_and_film_lengths_are_not_holds(text: str, seconds: list[float]) -> None:
    timing = read_timing(text, load("en"))
    assert [q.high for q in timing.durations] == seconds


def test_times_inside_sets_are_the_reps_of_each_set() -> None:
    routine = parse_text("# Esercizi\n\n## 1. Polpacci\n\nAppoggia le mani al muro. Mantieni per "
                         "30 secondi.\n\n## 2. Ponte\n\nSolleva il bacino e scendi lentamente. "
                         "8-12 volte. Si può eseguire in 2-3 serie.\n\n## 3. Farfalla\n\n"
                         "Siediti con le piante dei piedi unite. Mantieni per 40 secondi.\n",
                         fmt="markdown")
    bridge = routine.exercises[1]
    assert [h.seconds for h in bridge.holds] == [36, 36, 36]
    assert bridge.sets == Sets(3, 12)


def test_a_bare_hold_after_the_exercises_is_no_rule() -> None:
    text = ("# Stretches\n\n## 1. Calf\n\nLean on the wall, heel down. Hold 25 seconds.\n\n"
            "## 2. Knee Hug\n\nLie down and hug one knee.\n\n## Summary\n\nHold for 45 seconds.\n")
    routine = parse_text(text, fmt="markdown")
    assert [h.seconds for h in routine.exercises[1].holds] == [30]


def test_a_rule_for_both_sides_where_there_are_two() -> None:
    text = ("# Before your shift\n\nHold each stretch for 10 seconds and do it 3 times. Do both "
            "sides where there are two.\n\n## 1. Neck Side Bend\n\nEar towards the shoulder, "
            "shoulders level.\n\n## 2. Overhead Reach\n\nFingers laced, palms pushed up to the "
            "ceiling.\n\n## 3. Quad Stretch\n\nHold a rail, heel to your backside.\n\n"
            "## 4. Thigh Roll\n\nLie face down with the roller under both thighs.\n")
    routine = parse_text(text, fmt="markdown")
    sided = [e.has_sides for e in routine.exercises]
    assert sided == [True, False, True, False]
    assert [len(e.holds) for e in routine.exercises] == [6, 3, 6, 3]


def test_a_rules_repeats_are_holds_not_reps() -> None:
    intro = "Hold each stretch for 10-15 seconds and repeat it 5 times."
    assert plan("Turn your head slowly to one side.", intro=intro) == "15 15 15 15 15"


def test_sets_and_reps_said_before_the_exercises_are_the_rule() -> None:
    text = ("# Exercícios na cama\n\nFaça 3 séries de 8 a 15 repetições.\n\n"
            "## 1. Braços ao alto\n\nCom as mãos unidas, leve os braços até à almofada.\n\n"
            "## 2. Perna esticada\n\nLevante a perna da cama e pouse-a devagar. Faça 15 "
            "repetições para cada perna.\n\n## 3. Rodar o pé\n\nGire a ponta do pé devagar.\n")
    routine = parse_text(text, fmt="markdown")
    holds = [" ".join(f"{h.seconds:g}" + {"right": "R", "left": "L", None: ""}[h.side]
                      for h in e.holds) for e in routine.exercises]
    assert holds == ["45 45 45", "45R 45L 45R 45L 45R 45L", "45 45 45"]


def test_a_spanish_rule_for_one_sided_exercises() -> None:
    text = ("# Tabla de estiramientos\n\nMantén cada posición 20 segundos y repite cada "
            "estiramiento 2 veces. Los ejercicios que trabajan una sola pierna se hacen con los "
            "dos lados.\n\n## 1. Isquiotibiales sentado\n\nSentado con las piernas juntas, "
            "intenta tocarte los pies.\n\n## 2. Cuádriceps de pie\n\nApoyado en la pared, "
            "agarra el empeine de una pierna y llévalo al glúteo.\n")
    routine = parse_text(text, fmt="markdown")
    assert [len(e.holds) for e in routine.exercises] == [2, 4]
    assert [e.has_sides for e in routine.exercises] == [False, True]


# --------------------------------------------------------------------------- more dose forms


@pytest.mark.parametrize(("code", "text", "sides"), [
    ("en", "Lean into the wall with one leg back for 30 seconds, then swaps.", True),
    ("en", "Hold for 30 seconds. Then turn the other way and hold again.", True),
    ("de", "Mehr als 15 Sekunden braucht es nicht, danach tauschen die Beine ihre Rollen.", True),
    ("de", "Die Finger sanft zu sich ziehen. Pro Hand 15 Sekunden.", True),
    ("fr", "Tenez 30 s, puis on change.", True),
    ("fr", "Tirez les doigts vers vous. À faire pour chaque main.", True),
    ("es", "Gire primero hacia un lado y mantenga; luego hacia el otro y mantenga.", True),
    ("es", "Mantén 20 segundos. Repite al otro lado.", True),
    ("it", "Stringi il polso con una mano e tira piano. 20'' per mano.", True),
    ("pt", "Segure 20 segundos e troque de mão.", True),
    ("es", "Sujeta el codo con la mano contraria durante 20 segundos.", False),
])
def test_more_real_switches(code: str, text: str, sides: bool) -> None:
    assert read_timing(text, load(code)).sides is sides


@pytest.mark.parametrize(("text", "more"), [
    ("20 Sekunden, kurz ablegen, dann noch zweimal.", 2),  # "zwei mal" and "zweimal": two, not four
    ("Eine halbe Minute halten, kurz lösen und noch einmal.", 1),
])
def test_more_said_as_one_word_or_two_counts_once(text: str, more: int) -> None:
    assert read_timing(text, load("de")).another == more


@pytest.mark.parametrize(("body", "expected"), [
    ("Loop a towel round the ball of the foot. Hold 30 seconds x 3.", "30 30 30"),
    ("Sink into a low lunge, back knee padded. 5 breaths R, 5 breaths L.", "25R 25L"),
])
def test_repeats_and_sides_by_letter(body: str, expected: str) -> None:
    assert plan(body) == expected


def test_a_side_pair_said_with_italian_letters() -> None:
    timing = read_timing("Affondo, bacino in retroversione. 30'' dx / 30'' sx.", load("it"))
    assert timing.sides
    assert [q.high for q in timing.durations] == [30]


def test_every_stretch_in_a_rule_is_no_pace() -> None:
    # "every" right before a number is a pace ("every 2 hours"); here it names the stretches.
    timing = read_timing("Hold every stretch for 30 seconds.", load("en"))
    assert timing.main_duration is not None and timing.main_duration.kind == "hold"
    paced = read_timing("Stand up every 5 minutes.", load("en"))
    assert [q.kind for q in paced.durations] == ["rest"]


def test_a_rule_for_both_legs_where_there_are_two() -> None:
    text = ("# Roller routine\n\nRoll each area for about a minute, and do both legs where "
            "there are two.\n\n## 1. Calves\n\nSit with the roller under one calf and roll "
            "slowly.\n\n## 2. Upper Back\n\nLie back on the roller, hands behind your head.\n")
    routine = parse_text(text, fmt="markdown")
    assert [e.has_sides for e in routine.exercises] == [True, False]


def test_a_step_word_wrapped_into_a_sentence_is_no_step() -> None:
    # "posición 20 segundos ..." at a line's start is the rule's sentence, wrapped.
    text = ("TABLA\n\nEn clase, mantén cada\nposición 20 segundos y repite cada estiramiento 2 "
            "veces.\n\n1. Isquiotibiales\nSentado, intenta tocarte los pies.\n"
            "2. Aductores\nJunta las plantas de los pies.\n")
    routine = parse_text(text, fmt="text")
    assert [[h.seconds for h in e.holds] for e in routine.exercises] == [[20, 20], [20, 20]]


def test_a_video_length_is_no_hold() -> None:
    timing = read_timing("Pro Hand 15 Sekunden.\nVideo ansehen (2:41)", load("de"))
    assert [q.high for q in timing.durations] == [15]


@pytest.mark.parametrize(("code", "text", "reps"), [
    ("en", "Hip airplanes, slow and controlled. 5 per side.", 5),
    ("en", "Pull one knee in. 3 each leg.", 3),
    ("es", "Zancadas con giro del tronco (6-8 por lado).", 8),
    ("de", "Ausfallschritt mit Drehung, 8 pro Seite.", 8),
    ("fr", "Fentes avant, 10 par côté.", 10),
])
def test_a_bare_count_per_side_is_reps(code: str, text: str, reps: int) -> None:
    timing = read_timing(text, load(code))
    assert timing.reps is not None and timing.reps.high == reps
    assert timing.sides


def test_a_count_with_its_verb_after_the_number() -> None:
    timing = read_timing("Position halten und langsam bis 5 zählen.", load("de"))
    assert timing.main_duration is not None
    assert (timing.main_duration.unit, timing.main_duration.high) == ("count", 5)


def test_hours_are_no_hold_and_are_not_spoken() -> None:
    exercise = under_test(_routine("Lean on the wall, one heel back. Hold for 10 hours."))
    assert [h.seconds for h in exercise.holds] == [30]
    assert "ignored '10 hours': not a hold length" in exercise.notes
    assert exercise.instructions == ("Lean on the wall, one heel back.",)
    # A pace in hours is no hold and needs no note.
    assert read_timing("Ice it every 2 hours.", load("en")).ignored == ()


@pytest.mark.parametrize(("text", "sides"), [
    ("Slide your right arm under the left and rest your cheek down. Stay for 5 breaths, then "
     "unwind and thread the left arm through.", True),
    ("Lift your right leg and hold 10 seconds, keeping the left leg straight.", False),
    ("Cross the right ankle over the left knee and hold 30 seconds. Then lower it slowly.", False),
])
def test_the_other_side_named_after_the_hold(text: str, sides: bool) -> None:
    assert read_timing(text, load("en")).sides is sides


def test_one_more_round_is_a_repeat_not_one_set() -> None:
    assert plan("Lie face down and flutter arms and legs for a count of 20. Rest, then one more "
                "round.") == "20 20"


@pytest.mark.parametrize(("code", "text", "seconds"), [
    ("en", "Lean towards the foot. Hold for at least 30 seconds, and up to 45, then switch.", 45),
    ("es", "Inclínate hacia el pie. Mantén al menos 20 segundos y hasta 40.", 40),
    ("en", "Lean towards the foot. Hold 30 seconds, up to 2 minutes on a good day.", 30),
])
def test_a_range_whose_top_is_said_bare(code: str, text: str, seconds: float) -> None:
    timing = read_timing(text, load(code))
    assert timing.main_duration is not None and timing.main_duration.high == seconds


@pytest.mark.parametrize(("code", "text"), [
    ("en", "Turn your head to the right. Hold 15 seconds. Return to centre and turn to the left."),
    ("it", "Gira la testa verso destra. Mantieni 15 secondi. Torna al centro e gira verso "
           "sinistra."),
    ("es", "Gira la cabeza a la derecha. Mantén 15 segundos. Vuelve al centro y gira a la "
           "izquierda."),
    ("fr", "Tournez la tête vers la droite. Tenez 15 secondes. Revenez au centre et tournez "
           "vers la gauche."),
    ("de", "Den Kopf nach rechts drehen. 15 Sekunden halten. Zurück zur Mitte und nach links "
           "drehen."),
    ("pt", "Vire a cabeça para a direita. Mantenha 15 segundos. Volte ao centro e vire para a "
           "esquerda."),
])
def test_back_to_the_centre_then_the_other_side_is_a_second_side(code: str, text: str) -> None:
    assert read_timing(text, load(code)).sides is True


def test_the_last_step_of_a_single_exercise_page_is_kept() -> None:
    steps = "\n".join(f"{i}. {s}" for i, s in enumerate([
        "Kneel on a soft mat with your back straight.",
        "Step the right foot forward into a lunge.",
        "Push the hips forward until the front of the left hip stretches.",
        "Raise the left arm overhead.",
        "Stay there for 25 seconds.",
        "Change legs and do it all again.",
    ], start=1))
    text = (f"# Kneeling Hip Flexor Stretch\n\nDesk work leaves the front of the hips short. "
            f"This one stretch helps.\n\n{steps}\n\nRelated: Calf stretch, Cat cow\n")
    routine = parse_text(text, source="one.md", fmt="markdown")
    (exercise,) = routine.exercises
    assert [(h.seconds, h.side) for h in exercise.holds] == [(25, "right"), (25, "left")]


@pytest.mark.parametrize(("code", "text", "sets"), [
    ("en", "Strides: 4 x 80 m, build up then ease off.", 4),
    ("de", "Steigerungsläufe: 3 x 60 m locker.", 3),
    ("es", "Skipping: 3 x 20 metros.", 3),
    ("en", "Lay out a 60 x 90 cm mat.", None),
    ("en", "Walk 100 metres to warm up.", None),
])
def test_sets_of_a_distance_only(code: str, text: str, sets: int | None) -> None:
    timing = read_timing(text, load(code))
    assert timing.distance and timing.main_duration is None
    assert timing.sets == sets


def test_sets_of_a_distance_are_that_many_default_holds() -> None:
    assert plan("Run tall with quick feet, 3 x 20 m.") == "30 30 30"


def test_a_partner_stretch_is_not_an_advert() -> None:
    text = ("# Hamstring stretches\n\n"
            "1. Standing Hamstring Stretch\nPut one heel on a low step and lean forward. Hold "
            "for 20 seconds, then switch legs.\n\n"
            "2. Seated Hamstring Stretch\nSit with both legs long and reach for your toes. Hold "
            "for 20 seconds.\n\n"
            "3. Partner Hamstring Stretch\nLie on your back with one leg long. Have a partner "
            "lift the other leg towards you. Tell your partner when you feel the stretch. Hold "
            "for 20 seconds and switch legs.\n")
    routine = parse_text(text, source="partner.txt")
    assert [(h.seconds, h.side) for h in routine.exercises[-1].holds] == [
        (20, "right"), (20, "left")]


@pytest.mark.parametrize(("code", "text", "times"), [
    ("en", "Clasp your hands behind you and lift your chest. Hold 30 seconds. Drop your head and "
           "hold 30 seconds. Look up again and hold 30 seconds.", 3),
    ("fr", "Croisez les mains dans le dos. Tenez 20 secondes. Baissez la tête et tenez 20 "
           "secondes.", 2),
    ("de", "Die Hände hinter dem Rücken verschränken. 20 Sekunden halten. Den Kopf senken und "
           "20 Sekunden halten.", 2),
    ("es", "Junta las manos detrás de la espalda. Mantén 20 segundos. Baja la cabeza y mantén "
           "20 segundos.", 2),
    # The same hold said twice, as a field and as a step, is one hold.
    ("en", "Hold: 30 seconds. Lie on your back and hug your knees. Hold for 30 seconds.", None),
    ("en", "Lie on your back. Stay there for 30 seconds, that is 30 seconds in all.", None),
])
def test_the_same_hold_after_each_new_position_is_held_again(
        code: str, text: str, times: int | None) -> None:
    assert read_timing(text, load(code)).times == times


def test_the_last_exercise_keeps_a_field_the_others_have_with_its_own_text() -> None:
    text = ("Deux étirements pour le dos\n\n"
            "Étirement du psoas\n\nIdéal pour : la hanche\n\nUn genou au sol, avancez le "
            "bassin.\n\nRestez 30 secondes.\n\n"
            "Étirement assis\n\nIdéal pour : le dos et les jambes\n\nJambes en V, penchez "
            "le buste en avant.\n\nRestez 20 secondes.\n\nOn le fait deux fois.\n")
    routine = parse_text(text, source="fr.txt")
    assert [h.seconds for h in routine.exercises[-1].holds] == [20, 20]


@pytest.mark.parametrize(("intro", "expected"), [
    ("Do each exercise 10 times.", "30"),  # ten movements, 3 s each: one hold
    ("Repeat each stretch 3 times.", "30 30 30"),  # a few repeats are holds
    ("Hold each stretch for 20 seconds and do each one 10 times.", " ".join(["20"] * 10)),
    ("This whole routine takes 90 seconds.", "30"),  # the session's length is no hold
])
def test_a_rules_count_with_no_time_fills_an_exercise_with_none(intro: str,
                                                                expected: str) -> None:
    assert plan("Kneel and sit back on your heels, arms long.", intro=intro) == expected


@pytest.mark.parametrize(("body", "expected"), [
    # A short hold counted past 40 is what the page says while it stays under ten minutes.
    ("Squeeze the thigh down into the towel. Hold 5 seconds, 3 sets of 20.", " ".join(["5"] * 60)),
    # ... but never more than 40 holds once they would add up to longer than that.
    ("Sit back on your heels. Hold 60 seconds, 3 sets of 20.", " ".join(["60"] * 40)),
])
def test_many_short_holds_are_not_capped_at_forty(body: str, expected: str) -> None:
    assert plan(body) == expected


@pytest.mark.parametrize(("code", "text", "sides"), [
    ("en", "10 reps, 5 seconds each.", False),  # each rep
    ("en", "Repeat 10 times, holding 5 seconds each.", False),
    ("es", "10 repeticiones de 5 segundos cada una.", False),
    ("it", "10 ripetizioni da 5 secondi ciascuna.", False),
    ("fr", "8 répétitions de 5 secondes chacune.", False),
    ("pt", "10 repetições de 5 segundos cada uma.", False),
    ("en", "Bend one knee up. Hold 30 seconds each.", True),  # no count: each side
    ("en", "Hold 20 seconds each, 3 times.", True),  # a few rounds, not reps
    ("de", "10 Wiederholungen, 5 Sekunden je Seite.", True),  # said as a side
    ("it", "5 ripetizioni da 30 secondi per lato.", True),
])
def test_each_after_a_hold_is_each_rep_when_reps_are_counted(code: str, text: str,
                                                              sides: bool) -> None:
    assert read_timing(text, load(code)).sides is sides


@pytest.mark.parametrize(("code", "text", "sides"), [
    ("en", "Hold 30 seconds. Turn the other way and repeat.", True),
    ("en", "Turn to one side and hold 20 seconds, then to the other.", True),
    ("es", "Mantén 30 segundos. Gira el torso en la dirección opuesta y repite.", True),
    ("de", "Zu einer Seite drehen, 20 Sekunden halten, dann zur anderen.", True),
    ("it", "Ruota verso un lato, tieni 20 secondi, poi verso l'altro.", True),
    ("fr", "Tournez d'un côté, tenez 20 secondes, puis de l'autre.", True),
    ("pt", "Gire para um lado, mantenha 20 segundos e depois para o outro.", True),
    # A turn "to the other side", written as its own step, is the second side.
    ("en", "Turn to the other side in the same way.", True),
    ("es", "Gire el tronco hacia el otro lado.", True),
    ("de", "Dann den Kopf zur anderen Seite neigen.", True),
    ("it", "Ruota la testa verso l'altro lato.", True),
    ("fr", "Tournez la tête vers l'autre côté.", True),
    ("pt", "Gire o tronco para o outro lado.", True),
    # The other leg placed, then reps counted: one movement.
    ("en", "Keep the other leg straight and repeat 10 times.", False),
])
def test_the_other_side_named_before_the_verb_or_left_unsaid(code: str, text: str,
                                                              sides: bool) -> None:
    assert read_timing(text, load(code)).sides is sides


@pytest.mark.parametrize(("code", "text", "sides"), [
    # "Each direction counts as two sides": so does a change of direction after a count.
    ("pt", "Faça círculos com a cabeça. Após 10 repetições, troque o sentido e repita.", True),
    ("fr", "Faites 10 cercles avec les épaules, puis changez de sens.", True),
    ("it", "Fai 10 cerchi con le spalle, poi cambia senso.", True),
    ("es", "Haz 10 círculos con los hombros y cambia de sentido.", True),
    ("de", "10 Mal mit den Schultern kreisen, dann die Richtung wechseln.", True),
    ("en", "Make 10 circles with your shoulders, then change direction.", True),
    # Clockwise then anticlockwise on one limb is not a second side.
    ("fr", "Tournez le pied dans le sens des aiguilles d'une montre puis en sens inverse.",
     False),
])
def test_a_change_of_direction_is_a_second_side(code: str, text: str, sides: bool) -> None:
    assert read_timing(text, load(code)).sides is sides


@pytest.mark.parametrize(("code", "text", "kind"), [
    # The rest between sets, said as a sentence of its own, is no hold.
    ("de", "Dreimal 20 Wiederholungen. Die Pause zwischen den Sätzen beträgt höchstens eine "
           "Minute.", "rest"),
    ("en", "3 sets of 12. The rest between sets is 60 seconds.", "rest"),
    ("it", "3 serie da 12. Il recupero tra le serie è di 60 secondi.", "rest"),
    # "Between" alone places something; the hold verb may come after the time.
    ("de", "Den Ball zwischen die Knie klemmen und 10 Sekunden halten.", "plain"),
    ("en", "Rest your forearm on the wall and hold for 30 seconds.", "hold"),
])
def test_a_rest_named_at_the_start_of_its_clause_is_a_rest(code: str, text: str,
                                                          kind: str) -> None:
    (duration,) = read_timing(text, load(code)).durations
    assert duration.kind == kind


def test_sets_of_reps_with_a_rest_sentence_are_one_timed_hold_a_set() -> None:
    body = ("Lie on your back and lift your hips. Do 3 sets of 20. The rest between sets is "
            "one minute.")
    assert plan(body) == "60 60 60"


def test_many_short_holds_are_all_held() -> None:
    # Sixty holds of 5 s are five minutes: what "hold 5 s, 3 sets of 20" asks for.
    assert plan("Tighten the thigh and lift the heel. Hold 5 s, 3 sets of 20.") == " ".join(
        ["5"] * 60)
    # Long holds are still capped: sixty of 30 s is no exercise of a routine.
    routine = _routine("Tighten the thigh and lift the heel. Hold 30 s, 3 sets of 20.")
    exercise = under_test(routine)
    assert len(exercise.holds) == 40
    assert any("capped at 40" in n for n in exercise.notes)


@pytest.mark.parametrize(("code", "text", "sides"), [
    # The sides take turns inside one movement: no second side.
    ("en", "March on the spot, raising each knee in turn, for 30 seconds.", False),
    ("en", "Swing your arms left and right, alternating, for 30 seconds.", False),
    ("de", "Den Kopf abwechselnd nach rechts und links drehen, 10 Mal.", False),
    ("it", "Porta le ginocchia al petto alternando destra e sinistra per 30 secondi.", False),
    ("es", "Eleva las rodillas alternando derecha e izquierda durante 30 segundos.", False),
    ("fr", "Levez les genoux en alternant droite et gauche pendant 30 secondes.", False),
    ("pt", "Eleve os joelhos alternadamente, direita e esquerda, por 30 segundos.", False),
    # A number for each side, or a count with each limb, is a real second side.
    ("en", "Alternate legs, 10 on each leg.", True),
    ("en", "Alternate sides, 30 seconds each side.", True),
    ("en", "Exercise each leg alternately five times.", True),
    ("en", "Work one leg at a time, alternating, for 30 seconds.", True),
    ("de", "Im Wechsel je ein Bein heben, 10 Mal pro Seite.", True),
    ("it", "Alterna gamba destra e gamba sinistra. Tenuta: 40 secondi; 5 ripetizioni per lato.",
     True),
    # A real switch, in each language.
    ("de", "Das Bein 10 Mal heben. Dann die Übung auf der anderen Körperseite wiederholen.",
     True),
    ("fr", "Tenez 30 secondes. Changez de côté.", True),
    ("es", "Lleve una rodilla al pecho y mantenga esa posición. Cambie de pierna.", True),
    ("pt", "Segure 20 segundos e troque de lado.", True),
])
def test_alternating_inside_one_movement_is_not_a_second_side(code: str, text: str,
                                                               sides: bool) -> None:
    assert read_timing(text, load(code)).sides is sides


@pytest.mark.parametrize(("code", "text", "expected_reps", "sides"), [
    # The page says what one rep is: its "one" is no count, its switch no second side.
    ("en", "Hug the right knee in while the left leg reaches long, then switch. That's one "
           "rep. 10 reps.", 10, False),
    ("it", "Inverti le gambe ogni due secondi. Fai tre serie da dieci ripetizioni contando per "
           "una ripetizione l'alternanza di gamba destra e sinistra.", 10, False),
    # A switch with no definition of a rep is still a second side.
    ("en", "Hug the right knee in, then switch. 10 reps.", 10, True),
])
def test_a_rep_the_page_defines_is_no_count_and_no_second_side(
        code: str, text: str, expected_reps: int, sides: bool) -> None:
    timing = read_timing(text, load(code))
    assert timing.reps is not None and timing.reps.high == expected_reps
    assert timing.sides is sides


def test_a_count_of_one_set_beside_another_is_what_a_set_is() -> None:
    timing = read_timing("Repeat this 10 times on each side to complete one set. Do three "
                         "sets.", load("en"))
    assert timing.sets == 3 and timing.sides


def _holds(code: str, text: str, rule: str | None = None) -> str:
    """The holds one exercise's text gives in a language, under an optional routine rule."""
    from narrator.parse.build import Rule, expand

    lex = load(code)
    found = Rule(read_timing(rule, lex), rule) if rule else None
    holds, _, _ = expand(read_timing(text, lex), found, ParseOptions())
    return " ".join(f"{h.seconds:g}" + {"right": "R", "left": "L", None: ""}[h.side]
                    for h in holds)


@pytest.mark.parametrize(("code", "text", "expected"), [
    # A breath is 5 s in every language, however the page counts it (README table).
    ("en", "Hold for 5-10 breathes.", "50"),
    ("es", "Practica 10 inhalaciones y exhalaciones.", "50"),
    ("fr", "Faites 6 inspirations et expirations.", "30"),
    ("it", "Resta per 8 inspirazioni ed espirazioni.", "40"),
    ("pt", "Faça 4 inspirações e expirações.", "20"),
    ("de", "Halte die Position für 6 Atemzüge.", "30"),
])
def test_a_breath_count_is_five_seconds_a_breath(code: str, text: str, expected: str) -> None:
    assert _holds(code, text) == expected


@pytest.mark.parametrize(("code", "text", "expected"), [
    # "3 fois/jour", "3x/day": how often a day, never more holds.
    ("fr", "Faire 1 série de 5 répétitions, 2 fois/jour.", "15"),
    ("en", "Hold 20 seconds, 3x/day.", "20"),
    ("pt", "Mantenha 10 segundos, 2 vezes/dia.", "10"),
    # "repita duas a quatro vezes por dia": the repeat is counted, as a frequency.
    ("pt", "Mantenha 10 segundos. Solte e repita duas a quatro vezes por dia.", "10"),
])
def test_how_often_a_day_never_multiplies_holds(code: str, text: str, expected: str) -> None:
    assert _holds(code, text) == expected


@pytest.mark.parametrize(("code", "text", "expected"), [
    # A hold, a count of times and a count of sets: that many holds in each set.
    ("pt", "Manter a posição por 5 segundos e relaxar. Repetir 4 vezes e fazer 2 séries.",
     " ".join(["5"] * 8)),
    ("en", "Hold for 5 seconds, then relax. Repeat 5 times. Do 2 sets.",
     " ".join(["5"] * 10)),
    ("it", "Mantieni 10 secondi. Ripeti 3 volte, per 2 serie.", " ".join(["10"] * 6)),
])
def test_times_within_sets_multiply_a_held_dose(code: str, text: str, expected: str) -> None:
    assert _holds(code, text) == expected


@pytest.mark.parametrize(("code", "text", "rule", "expected"), [
    # A bare "rest and repeat" takes the routine's own count.
    ("es", "Mantén la postura 20 segundos. Vuelve al centro, descansa y repite.",
     "Repite cada uno hasta tres veces.", "20 20 20"),
    ("en", "Hold for 20 seconds, then repeat.", "Do each stretch 3 times.", "20 20 20"),
    # Without a rule it is two holds; with a number the exercise's own count wins.
    ("en", "Hold for 20 seconds, then repeat.", None, "20 20"),
    ("en", "Hold for 20 seconds. Repeat 4 times.", "Do each stretch 3 times.",
     "20 20 20 20"),
])
def test_a_bare_repeat_takes_the_rules_count(code: str, text: str, rule: str | None,
                                             expected: str) -> None:
    assert _holds(code, text, rule) == expected


@pytest.mark.parametrize(("code", "text", "sides"), [
    # A second side said the way real pages say it.
    ("es", "Se mantiene 20 segundos. Realizar 2 o 3 repeticiones con cada miembro inferior.",
     True),
    ("es", "Flexionamos la rodilla hacia la cadera contraria. Repetimos la misma acción en "
           "ambas piernas.", True),
    ("en", "Pull one knee in and hold. Repeat on both legs.", True),
    ("it", "Restate in posizione per 20-30 secondi. Ripetete l'operazione con la gamba "
           "sinistra.", True),
    ("fr", "Après 20 secondes, ramenez le pied avant en arrière, et inversement, pour "
           "travailler l'autre mollet.", True),
    # Both limbs at once, or a count with both: no second side.
    ("es", "Repite 10 veces con ambas piernas juntas.", False),
    ("en", "Bend both knees and repeat.", False),
    # Nothing held: "right and left" is the way one movement goes.
    ("it", "Flettere la testa a destra e a sinistra avvicinando l'orecchio alla spalla per 10 "
           "volte.", False),
    ("en", "Swing the arm left and right 10 times.", False),
    # A hold said for right and left is two sides; so is a stretch with no count at all
    # (it takes the rule's or the default hold).
    ("it", "Tenere 30 secondi a destra e sinistra.", True),
    ("en", "Lean slowly left and right.", True),
])
def test_second_sides_as_pages_say_them(code: str, text: str, sides: bool) -> None:
    assert read_timing(text, load(code)).sides is sides


@pytest.mark.parametrize(("code", "text", "times", "sides"), [
    # The same count said once for each side, by name: that many times on each side.
    ("en", "Repetition: 3 times to the left then 3 times to the right for the neck. "
           "Stay in each turn for 30 seconds.", 3, True),
    ("de", "Den Kopf 3 Mal nach rechts, 3 Mal nach links drehen.", 3, True),
    # One side named once is no pair.
    ("en", "Turn 4 times to the left. Hold for 10 seconds.", 4, False),
])
def test_a_count_said_for_each_named_side(code: str, text: str, times: int,
                                          sides: bool) -> None:
    timing = read_timing(text, load(code))
    assert timing.reps is None and timing.times == times and timing.sides is sides


@pytest.mark.parametrize(("code", "text", "expected"), [
    # A range glued by PDF export: its dash lost, "5-10" reads "510".
    ("it", "Mantenere la posizione per 510 secondi.", "10"),
    ("en", "Hold for 1530 seconds.", "30"),
    # Not a plain long hold, nor minutes.
    ("en", "Hold for 240 seconds.", "240"),
    ("en", "Hold for 480 seconds.", "480"),
])
def test_a_range_glued_by_pdf_export(code: str, text: str, expected: str) -> None:
    assert _holds(code, text) == expected


def test_a_long_hold_whose_digits_make_no_range_stays_too_long() -> None:
    assert read_timing("A hold of 660 s is too long.", load("en")).ignored == ("660 s",)


@pytest.mark.parametrize(("code", "text", "rule", "expected"), [
    # A count said for each side, with no time anywhere: reps of a movement, 3 s each.
    ("de", "Kopf langsam nach rechts und nach links neigen. 3 Mal nach jeder Seite.", None,
     "9R 9L"),
    ("it", "Inclinare il capo verso destra e poi verso sinistra. Ripetere tre volte per lato.",
     None, "9R 9L"),
    # So is the same count said once for each side by name.
    ("en", "Draw a circle with your chin. Go three times to the right and three times to the "
     "left.", None, "9R 9L"),
    # With a hold time, or under a routine's hold, it is that many holds on each side.
    ("en", "Hold for 20 seconds. Repeat 3 times each side.", None,
     "20R 20L 20R 20L 20R 20L"),
    ("en", "Pull the knee in. Repeat 2 times each side.", "Hold each stretch 30 seconds.",
     "30R 30L 30R 30L"),
    # A stretch with no way named, and no time: that many default holds a side.
    ("en", "Pull one knee in to the chest. Repeat 2 times each side.", None,
     "30R 30L 30R 30L"),
])
def test_a_count_per_side_with_no_time_is_reps(code: str, text: str, rule: str | None,
                                               expected: str) -> None:
    assert _holds(code, text, rule) == expected


def _names_and_holds(routine: Routine) -> list[str]:
    return [f"{e.name}: " + " ".join(f"{h.seconds:g}" for h in e.holds) for e in routine.exercises]


@pytest.mark.parametrize(("lang", "intro", "outro"), [
    ("en", "Go through the whole list twice.", ""),
    ("en", "", "Do 2 rounds, then rest."),
    ("de", "Machen Sie zwei Durchgänge.", ""),
    ("es", "Repite el circuito dos veces.", ""),
    ("fr", "", "Faites deux tours."),
    ("it", "Ripeti tutta la sequenza 2 volte.", ""),
    ("pt", "Repita o circuito 2 vezes.", ""),
])
def test_a_count_of_the_whole_list_goes_through_the_list_again(
        lang: str, intro: str, outro: str) -> None:
    names = {"en": ("Calf stretch", "Hip flexor stretch"), "de": ("Wadendehnung", "Hüftbeuger"),
             "es": ("Gemelos", "Cuádriceps"), "fr": ("Mollets", "Quadriceps"),
             "it": ("Polpacci", "Quadricipiti"), "pt": ("Panturrilha", "Quadríceps")}[lang]
    hold = {"en": "Hold 20 seconds.", "de": "20 Sekunden halten.", "es": "Mantén 20 segundos.",
            "fr": "Tenez 20 secondes.", "it": "Mantieni 20 secondi.",
            "pt": "Mantenha 20 segundos."}[lang]
    # A line under a list is the page's own; under a heading it would be the last exercise's.
    text = (f"# Routine\n\n{intro}\n\n1. {names[0]}: {hold}\n"
            f"2. {names[1]}: {hold}\n\n{outro}\n")
    routine = parse_text(text, source="rounds.md", fmt="markdown")
    assert _names_and_holds(routine) == [f"{names[0]}: 20", f"{names[1]}: 20"] * 2


def test_a_rule_and_rounds_in_one_sentence_are_both_kept() -> None:
    text = ("# Desk stretches\n\nHold every stretch for 25 seconds and go through the whole "
            "list twice.\n\n## 1. Neck release\n\nTilt the head to the side.\n\n"
            "## 2. Chest opener\n\nClasp the hands behind the back.\n")
    routine = parse_text(text, source="rounds.md", fmt="markdown")
    assert _names_and_holds(routine) == ["Neck release: 25", "Chest opener: 25"] * 2


@pytest.mark.parametrize("sentence", [
    "Hold each stretch for 20 seconds, 2 rounds.",  # a count of each exercise
    "Do this routine 3 times a day.",  # how often a day, not rounds
    "Last week I did 3 rounds of this!",  # a comment further down, not the page's own word
])
def test_counts_that_are_not_rounds_of_the_list(sentence: str) -> None:
    filler = "\n\nGreat post.\n\nThanks!\n\n" if sentence.startswith("Last") else "\n\n"
    where_after = sentence.startswith(("Last", "Do this"))
    text = ("# Routine\n\n" + ("" if where_after else sentence) +
            "\n\n## 1. Calf stretch\n\nHold 20 seconds.\n\n## 2. Hip flexor stretch\n\n"
            "Hold 20 seconds." + (filler + sentence if where_after else "") + "\n")
    routine = parse_text(text, source="rounds.md", fmt="markdown")
    assert [e.name for e in routine.exercises] == ["Calf stretch", "Hip flexor stretch"]


@pytest.mark.parametrize("sentence", ["I've done this 5x a week for a year.", "Do it 3x a day."])
def test_how_often_a_week_written_with_x_is_no_count(sentence: str) -> None:
    timing = read_timing(sentence, load("en"))
    assert (timing.times, timing.sets) == (None, None)


@pytest.mark.parametrize(("code", "text", "sides"), [
    # "Hold ... before swapping": the swap is a second side, in every language.
    ("en", "Rest your hands on your bent leg and hold for 20 seconds before swapping.", True),
    ("fr", "Tenez 20 secondes avant de changer de côté.", True),
    ("it", "Tieni 20 secondi prima di cambiare gamba.", True),
    # "attraper un coude dans chaque main" places the hands: no second side.
    ("fr", "Placer les mains au sol ou attraper un coude dans chaque main. Garder la position "
           "1 min.", False),
])
def test_swap_phrases_and_placing_phrases(code: str, text: str, sides: bool) -> None:
    assert read_timing(text, load(code)).sides is sides


@pytest.mark.parametrize(("code", "text", "expected"), [
    # "Another 30 seconds" said with the switch is the other side's hold.
    ("en", "Hold for 30 seconds, then switch sides and hold for another 30 seconds.",
     "30R 30L"),
    ("it", "Lascio scendere la testa verso la spalla destra e resto lì 30 secondi, poi tocca "
           "alla sinistra per altri 30 secondi.", "30R 30L"),
    ("es", "Mantén 15 segundos. Cambia al lado derecho y quédate así otros 15 segundos.",
     "15R 15L"),
    # Without a side it is one more hold.
    ("en", "Hold 20 seconds, then relax and hold for another 20 seconds.", "20 20"),
])
def test_another_hold_with_a_switch_is_the_other_side(code: str, text: str,
                                                      expected: str) -> None:
    assert _holds(code, text) == expected


@pytest.mark.parametrize(("code", "text", "expected"), [
    # Two equal holds, each after the words that turn to one named side: one hold a side.
    ("es", "Gira la cabeza a la derecha sin forzar. Sostén por 20 segundos. Después lleva "
           "la cabeza despacio hacia la izquierda y mantén la posición durante 20 segundos.",
     "20R 20L"),
    ("en", "Turn your head to the left. Hold for 10 seconds. Now turn it to the right and "
           "hold for 10 seconds.", "10L 10R"),
    # The same side twice is the same hold said again, or held again: no second side.
    ("en", "Turn your head to the right. Hold for 10 seconds. Drop your chin, still to the "
           "right, and hold for 10 seconds.", "10 10"),
])
def test_a_hold_after_turning_to_each_named_side(code: str, text: str, expected: str) -> None:
    assert _holds(code, text) == expected


def _plan_of(text: str) -> list[str]:
    routine = parse_text(text, source="closing.txt", fmt="text")
    return [f"{e.name}: " + " ".join(
        f"{h.seconds:g}" + {"right": "R", "left": "L", None: ""}[h.side] for h in e.holds)
        for e in routine.exercises]


def test_a_dose_line_closing_an_undosed_list_is_the_pages_rule() -> None:
    text = ("Dehnen nach dem Laufen\n\n1. Vorderer Oberschenkel\nUmfasse deinen Fuß und zieh "
            "ihn sanft Richtung Po.\n\n2. Waden\nStell dich in Schrittstellung und drück die "
            "hintere Ferse in den Boden.\n\n3. Arme und Schulter\nFühr die rechte Hand hinter "
            "den Kopf und drück den Ellenbogen nach hinten.\n\n\n\nDie Dehnung ca. 20 Sekunden "
            "halten und dann die Seite wechseln.\n")
    assert _plan_of(text) == ["Vorderer Oberschenkel: 20R 20L", "Waden: 20R 20L",
                              "Arme und Schulter: 20R 20L"]


def test_a_closing_sentence_for_both_exercises_is_the_rule_and_its_rounds() -> None:
    text = ("Fitness zu Hause\n\nFür die Rückseite: Die Oberschenkelrückseite wird gedehnt. "
            "Auf dem Rücken liegen, das angehobene Bein greifen und lang strecken. Die Ferse zur "
            "Decke schieben.\n\nFür die Vorderseite: Seitlich liegen, die Ferse zum Gesäß "
            "ziehen, der Oberschenkel bleibt waagerecht. Beide Übungen jeweils 30 bis 60 "
            "Sekunden pro Bein halten, zwei Durchgänge machen.\n")
    assert _plan_of(text) == ["Für die Rückseite: 60R 60L", "Für die Vorderseite: 60R 60L"] * 2


@pytest.mark.parametrize("closing", [
    # The last pose's own long rest is no rule for the others.
    "Stay here for 5 minutes.",
])
def test_a_long_closing_hold_is_the_last_exercises_own(closing: str) -> None:
    text = ("Bedtime yoga\n\n1. Cat cow\nOn hands and knees, round and arch the back.\n\n"
            "2. Child's pose\nKneel and fold forward, arms long.\n\n3. Legs up the wall\nLie "
            "with the legs resting up the wall.\n\n" + closing + "\n")
    assert _plan_of(text) == ["Cat cow: 30", "Child's pose: 30", "Legs up the wall: 300"]


@pytest.mark.parametrize(("code", "text"), [
    ("es", "Incliná la cabeza hacia un lado. Mantené 20 segundos y luego cambiá de lado."),
    ("de", "Die Hand an die Wand legen. 20 Sekunden halten, natürlich für beide Schultern."),
    ("pt", "Segure o cotovelo por 20 segundos. Este deve ser realizado com os dois braços."),
    ("it", "Mantenere 20 secondi, per entrambe le gambe."),
    ("en", "Hold 20 seconds, and do it for both legs."),
])
def test_both_sides_as_pages_say_it(code: str, text: str) -> None:
    timing = read_timing(text, load(code))
    assert timing.sides


@pytest.mark.parametrize(("code", "sentence"), [
    ("pt", "Mantenha por 30 segundos e alterne."),
    ("es", "Mantén 30 segundos y alterna."),
    ("it", "Mantieni per 30 secondi e poi alterna."),
    ("fr", "Tenez 30 secondes puis alternez."),
    ("en", "Hold for 30 seconds and alternate."),
    ("de", "30 Sekunden halten, dann abwechseln."),
])
def test_alternating_after_the_hold_is_the_other_side(code: str, sentence: str) -> None:
    # "Hold, then alternate" with nothing after it switches to the other side; "alternate
    # knees" while marching is one movement (the corpus keeps that case).
    timing = read_timing(sentence, load(code))
    assert timing.sides
    assert timing.main_duration is not None and timing.main_duration.high == 30


def test_alternating_two_positions_of_one_movement_is_no_second_side() -> None:
    # Nothing is held before it, and the sentence goes on: toes, heel, toes, heel.
    timing = read_timing("De pie, sube a las puntas, luego baja a los talones y alterne "
                         "varias veces.", load("es"))
    assert not timing.sides


@pytest.mark.parametrize(("code", "text", "amount", "unit"), [
    ("pt", "Mantenha 30'' e solte.", 30, "second"),
    ("pt", "Fique assim 2' respirando.", 120, "second"),
    ("es", "Mantén 20 segs.", 20, "second"),
    ("es", "Quédate ahí 8 respiros.", 8, "breath"),
    ("de", "Position 30 sec halten.", 30, "second"),
])
def test_units_written_as_pages_abbreviate_them(code: str, text: str, amount: float,
                                                unit: str) -> None:
    held = read_timing(text, load(code)).main_duration
    assert held is not None and (held.high, held.unit) == (amount, unit)


@pytest.mark.parametrize(("text", "sides"), [
    ("Si trabajas sentado, este gesto te cambia el día. Mantén 40 segundos.", False),
    ("Cambia la posición de las manos y mantén 40 segundos.", False),
    ("Mantén 40 segundos, luego cambia y repite.", True),
    ("Mantén 40 segundos y cambia de pierna.", True),
])
def test_cambia_alone_is_no_switch_of_sides(text: str, sides: bool) -> None:
    # "cambia" changes many things ("te cambia el día"); only after a hold, or with a
    # side, does it switch sides.
    assert read_timing(text, load("es")).sides is sides


@pytest.mark.parametrize(("code", "text"), [
    ("en", "Hold 15 seconds. Repeat with your knees slightly bent."),
    ("es", "Mantén 15 segundos. Repite con las rodillas algo flexionadas."),
    ("de", "15 Sekunden halten. Wiederholen Sie mit gebeugten Knien."),
    ("fr", "Tenez 15 secondes. Recommencez avec les genoux fléchis."),
    ("it", "Mantieni 15 secondi. Ripeti con le ginocchia piegate."),
    ("pt", "Mantenha 15 segundos. Repita com os joelhos dobrados."),
    ("en", "Hold 15 seconds. Repeat."),
    ("fr", "Tenez 15 secondes. Recommencez."),
])
def test_repeating_in_a_new_position_or_plainly_is_one_more_hold(code: str, text: str) -> None:
    timing = read_timing(text, load(code))
    assert timing.times == 2
    assert not timing.sides


def test_repeating_with_the_other_leg_is_the_other_side_not_a_second_round() -> None:
    timing = read_timing("Hold 15 seconds. Repeat with the other leg.", load("en"))
    assert timing.sides and timing.times is None


@pytest.mark.parametrize(("text", "sides"), [
    ("Ripeti due volte a gamba, tenendo la posizione per 30 secondi.", True),
    ("Mantieni 30 secondi a lato.", True),
    ("Piega il ginocchio, poi torna lentamente a gamba tesa. Mantieni 30 secondi.", False),
])
def test_a_count_a_gamba_is_per_leg(text: str, sides: bool) -> None:
    # "due volte a gamba" counts per leg; "a gamba tesa" is a straight leg.
    assert read_timing(text, load("it")).sides is sides


@pytest.mark.parametrize(("code", "text"), [
    ("pt", "Segure o cotovelo por 15 segundos e depois repita o exercício invertendo os lados."),
    ("es", "Mantén la posición 3 segundos. Realiza 10 repeticiones en cada pie."),
    ("it", "Solleva il tallone per 5 secondi, 10 volte per ogni piede."),
    ("fr", "Tenez 20 secondes, puis recommencez en inversant les côtés."),
    ("de", "Die Ferse 5 Sekunden anheben, 10 Mal je Fuß."),
    ("en", "Rotate your body to the left and hold 20 seconds. Be sure to do the right side as "
           "well."),
    # "Do the same with both legs" after a one-leg move: each leg in turn.
    ("en", "Bend one knee to your chest. Do the same with both legs."),
    ("es", "Llevamos una rodilla al pecho. Hacemos lo mismo con ambas piernas."),
    ("fr", "Ramenez un genou. Faites la même chose avec les deux jambes."),
    ("it", "Porta un ginocchio al petto. Fai lo stesso con entrambe le gambe."),
    ("de", "Ein Knie zur Brust ziehen. Dasselbe mit beiden Beinen machen."),
    ("pt", "Leve um joelho ao peito. Faça o mesmo com as duas pernas."),
])
def test_more_ways_pages_say_both_sides(code: str, text: str) -> None:
    assert read_timing(text, load(code)).sides


@pytest.mark.parametrize(("code", "text"), [
    ("en", "Before stretching, walk briskly for 5-10 minutes."),
    ("en", "Stroll around and drink some water for five minutes, then work through these."),
    ("fr", "Avant de commencer, pratiquez une activité aérobique pendant 5 à 10 minutes."),
    ("de", "Wärmen Sie sich vorher 5 Minuten auf."),
    ("es", "Antes de estirar, haz 5 minutos de calentamiento."),
    ("it", "Prima di iniziare fai 10 minuti di riscaldamento."),
    ("pt", "Antes de começar, faça 5 minutos de aquecimento."),
])
def test_a_warm_up_before_the_routine_is_no_hold(code: str, text: str) -> None:
    assert read_timing(text, load(code)).main_duration is None


def test_a_warm_up_given_as_an_exercise_keeps_its_time() -> None:
    timing = read_timing("March on the spot to warm up for 2 minutes.", load("en"))
    assert timing.main_duration is not None and timing.main_duration.high == 120


@pytest.mark.parametrize(("code", "text"), [
    ("es", "Gira la cabeza hacia la derecha y aguanta cinco segundos. Hazlo del otro lado."),
    ("fr", "Tourne la tête vers la droite et tiens cinq secondes. Fais-le de l'autre côté."),
    ("it", "Gira la testa verso destra e tieni cinque secondi. Fallo dall'altro lato."),
])
def test_do_it_on_the_other_side_is_a_second_side(code: str, text: str) -> None:
    assert read_timing(text, load(code)).sides


@pytest.mark.parametrize(("code", "text", "another"), [
    ("es", "Mantén la postura un minuto. Quita una almohada y aguanta otro minuto.", 1),
    ("pt", "Fique assim um minuto e depois mais outro minuto.", 1),
    ("de", "Halte eine Minute und dann noch eine Minute.", 1),
    ("es", "Cambia al otro lado.", 0),
])
def test_another_time_in_the_singular(code: str, text: str, another: int) -> None:
    # "otro minuto", "outro minuto", "noch eine Minute": one more hold of that time; "el
    # otro lado" is the other side, no time.
    assert read_timing(text, load(code)).another == another


@pytest.mark.parametrize(("code", "text", "expected"), [
    # "Once" after a repeat is one more round, both sides again: two in all.
    ("fr", "Pliez le genou avant et poussez le bassin vers le mur. Maintenez 20 secondes, "
     "changez de jambe, puis recommencez une fois.", "20R 20L 20R 20L"),
])
def test_repeat_once_after_a_switch_is_one_more_round(code: str, text: str,
                                                      expected: str) -> None:
    assert _holds(code, text) == expected


def test_a_hold_said_with_a_gerund_beats_breaths_before_it() -> None:
    # "en maintenant chaque position 20 à 30 secondes": the hold, not the breaths to start.
    text = ("Commencez par trois à cinq respirations profondes, puis enchaînez les étirements "
            "en maintenant chaque position 20 à 30 secondes.")
    assert _holds("fr", text) == "30"


@pytest.mark.parametrize("text", [
    "Restare così per dieci secondi. Tornare alla posizione di partenza e ripetere l'esercizio.",
    "Restare così per dieci secondi, poi ripetere.",
])
def test_an_italian_repeat_with_no_number_is_a_second_hold(text: str) -> None:
    # "e ripetere l'esercizio", as "and repeat": the hold twice.
    assert _holds("it", text) == "10 10"


@pytest.mark.parametrize(("code", "text"), [
    ("es", "Al llegar al tope, aguanta 2 segundos. Haz el mismo giro tanto a derecha como a "
           "izquierda."),
    ("pt", "No fim do giro, segure 2 segundos. Faça o mesmo tanto para a direita como para a "
           "esquerda."),
    ("it", "A fine rotazione, tieni 2 secondi. Fai lo stesso sia a destra che a sinistra."),
    ("fr", "En fin de rotation, tenez 2 secondes. Faites de même à droite comme à gauche."),
])
def test_the_same_turn_to_both_sides_in_words_is_each_side(code: str, text: str) -> None:
    assert _holds(code, text) == "2R 2L"


@pytest.mark.parametrize(("code", "text", "expected"), [
    ("en", "Hold 30 seconds on the right and 30 on the left.", "30R 30L"),
    ("es", "Mantén 20 segundos hacia la derecha y 20 hacia la izquierda.", "20R 20L"),
    # One side named only to place a limb, and no number again: one hold.
    ("en", "Put your right hand on your left knee and hold 30 seconds.", "30"),
])
def test_the_same_number_again_for_the_other_side(code: str, text: str, expected: str) -> None:
    assert _holds(code, text) == expected


@pytest.mark.parametrize("text", [
    "In der Endstellung etwa 5 Sekunden bleiben. 5- bis 10-mal wiederholen.",
    "In der Endstellung etwa 5 Sekunden bleiben. Die Übung 10-mal wiederholen.",
])
def test_a_german_count_written_with_a_hyphen(text: str) -> None:
    # "10-mal", and the first half of a range left open: "5- bis 10-mal".
    assert _holds("de", text) == " ".join(["5"] * 10)
