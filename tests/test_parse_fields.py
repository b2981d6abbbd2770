"""Fields every exercise repeats ("Starting position", "Movement") and times that belong to
the whole page ("this takes 10 minutes", "2 min read"), which are never exercises or holds."""

from __future__ import annotations

import pytest

from narrator.errors import SourceError
from narrator.parse import parse_text


def _plan(text: str, fmt: str = "text") -> list[tuple[str, list[float]]]:
    routine = parse_text(text, source="t.txt", fmt=fmt)
    return [(e.name, [h.seconds for h in e.holds]) for e in routine.exercises]


def test_field_lines_with_no_colon_repeated_under_each_name_are_fields() -> None:
    parts = [("Knee hug", "Pull both knees to your chest.", "Hold 20 seconds."),
             ("Seated twist", "Turn your chest to the right knee.", "Hold 40 seconds."),
             ("Cat back", "Round your back slowly.", "Hold 15 seconds.")]
    text = "Home exercises\n\n" + "".join(
        f"{name}\nStarting position\nLie on a mat, knees bent.\nMovement\n{move}\n"
        f"Repetition\n{dose}\n\n" for name, move, dose in parts)
    assert _plan(text) == [("Knee hug", [20]), ("Seated twist", [40]), ("Cat back", [15])]


def test_an_exercise_done_again_at_the_end_is_not_a_field() -> None:
    names = ["Cobra", "Frog", "Pigeon", "Cobra"]
    text = "".join(f"## {name}\n\nLie down and hold {20 + 10 * n} seconds.\n\n"
                   for n, name in enumerate(names))
    assert [name for name, _ in _plan(text, "markdown")] == names


def test_the_session_length_and_reading_time_are_no_holds() -> None:
    text = ("Dr Ann Example, physiotherapist \u00b7 2 min read\n\nThis routine takes about 10 "
            "minutes.\n\n1. Calf stretch: lean into the wall.\n2. Hamstring stretch: reach for "
            "your toes, hold 20 seconds.\n")
    assert _plan(text) == [("Calf stretch", [30]), ("Hamstring stretch", [20])]


def test_a_session_length_in_french_is_no_hold() -> None:
    text = ("Étirements du soir\n\nCette séance prend 10 minutes en tout.\n\n"
            "1. Posture de l'enfant : asseyez-vous sur les talons et tenez 30 secondes.\n"
            "2. Torsion couchée : tournez les genoux vers la droite, tenez 20 secondes.\n")
    assert [holds for _, holds in _plan(text)] == [[30], [20]]


def test_step_lines_with_no_full_stop_under_a_name_line_are_steps() -> None:
    text = ("Morning back routine\n\nTrunk rotation\n\nSit cross-legged, back tall\n\n"
            "Turn your chest slowly to the right\n\nHold 20 seconds\n\nSwitch sides\n\n"
            "Cat cow\n\nKneel on all fours, hands under shoulders\n\nHold for 15 seconds\n")
    assert _plan(text) == [("Trunk rotation", [20, 20]), ("Cat cow", [15])]


def test_a_use_line_with_no_full_stop_is_a_step_not_a_name() -> None:
    # A physio's page: "Name:" headings over one-line steps, some with no full stop.
    text = ("Shoulder exercises\n\nDoorway Stretch:\n\nStand in a doorway.\n\n"
            "Put your forearm on the frame.\n\n"
            "Use your body weight to lean through (towards the room)\n\n"
            "Hold for 20 sec\n\nRepeat 3 times\n\nPendulum:\n\n"
            "Lean on a table and let the arm hang\n\nReps: _____ Sets: _____\n")
    assert _plan(text) == [("Doorway Stretch", [20, 20, 20]), ("Pendulum", [30])]


def test_one_exercise_under_its_title_with_its_fields_as_led_paragraphs() -> None:
    # A gym's exercise page: the title names the one stretch; "Target:", "Setup:", "How:"
    # name no stretch and are its fields, not three exercises.
    text = ("Seated Figure Four Stretch\n\nTarget Area: Glutes\n\n"
            "Setup: Sit tall on a sturdy chair with both feet flat.\n\n"
            "Breathing: Slow and even through the nose.\n\n"
            "How: Cross one ankle over the other knee and lean your chest forward. "
            "Stay there for 25 seconds.\n")
    assert _plan(text) == [("Seated Figure Four Stretch", [25])]


def test_a_muscles_field_under_each_name_line_is_not_an_exercise() -> None:
    text = ("Wall Calf Stretch\nMuscles worked: calves and soles\n"
            "1. Face a wall, one foot back.\n2. Press the back heel down, hold 20 seconds.\n\n"
            "Doorway Chest Stretch\nMuscles worked: chest and front of the shoulders\n"
            "1. Stand in a doorway, forearms on the frame.\n2. Step through and hold 15 "
            "seconds.\n")
    assert _plan(text) == [("Wall Calf Stretch", [20]), ("Doorway Chest Stretch", [15])]


def test_a_name_line_right_after_a_list_item_starts_the_next_exercise() -> None:
    # An equipment manual runs the last step straight into the next exercise's name and its
    # steps numbered from 1 again, with no blank line.
    text = ("Standing Side Reach\n1.Stand with feet apart.\n2.Reach over to the left, hold "
            "10 seconds.\nKneeling Hip Flexor Stretch\n1.Kneel on one knee.\n2.Push the hips "
            "forward, hold 20 seconds.\n")
    assert _plan(text) == [("Standing Side Reach", [10]), ("Kneeling Hip Flexor Stretch", [20])]


def test_a_lone_part_headed_by_a_field_is_named_by_the_page_title() -> None:
    # A TV station's page about one exercise: "Ablauf" heads its text, the title names it.
    text = ("Schultern lösen\n\nEine kurze Übung für die Pause am Schreibtisch.\n\nAblauf\n\n"
            "Setzen Sie sich aufrecht hin. Ziehen Sie die Schultern hoch und halten Sie sie "
            "15 Sekunden, dann lassen Sie locker.\n")
    assert _plan(text) == [("Schultern lösen", [15])]


def test_a_lone_part_with_no_time_is_not_named_by_the_title() -> None:
    text = ("Knee pain\n\nMany people feel it on the stairs.\n\nWhat helps\n\n"
            "Rest, ice and a visit to your doctor if it lasts.\n")
    with pytest.raises(SourceError):
        _plan(text)


def test_a_numbered_exercise_label_gives_the_name_after_it() -> None:
    # "1. Übung: Nackendehnung": the number, then the field that names the exercise.
    text = ("Dehnübungen fürs Büro\n\n1. Übung: Nackendehnung\nZiel: lockert den Nacken\n"
            "So geht's: Kopf zur Schulter neigen, 20 Sekunden halten.\n\n2. Übung: Brustöffner\n"
            "Ziel: öffnet die Brust\nSo geht's: Hände verschränken, 30 Sekunden halten.\n")
    assert _plan(text) == [("Nackendehnung", [20]), ("Brustöffner", [30])]


def test_a_handout_field_said_once_is_part_of_the_exercise_above() -> None:
    # The language's list of field labels knows "Posizione di partenza" and "Esecuzione"
    # even when no other exercise repeats them.
    text = ("Stretching\n\n1. Allungamento del polpaccio\nPosizione di partenza: in piedi.\n"
            "Esecuzione: porta indietro una gamba e tieni 30 secondi.\n\n"
            "2. Allungamento del collo\nInclina la testa e tieni 20 secondi.\n")
    assert _plan(text) == [("Allungamento del polpaccio", [30]), ("Allungamento del collo", [20])]


def test_items_under_a_plain_mistakes_line_after_the_routine_are_not_exercises() -> None:
    text = ("Alongamentos\n\n1. Inclinação lateral\nIncline a cabeça e mantenha 20 segundos.\n\n"
            "2. Rotação do pescoço\nGire a cabeça e mantenha 15 segundos.\n\nErros comuns\n"
            "1. Levantar os ombros: mantenha-os baixos por 20 segundos.\n"
            "2. Prender a respiração: respire fundo por 30 segundos.\n")
    assert _plan(text) == [("Inclinação lateral", [20]), ("Rotação do pescoço", [15])]


def test_bullets_right_under_a_plain_mistakes_line_are_not_exercises() -> None:
    text = ("Estiramientos\n\n1. Gato-camello\nPosición inicial: a cuatro patas.\n"
            "Ejecución: arquea la espalda y mantén 20 segundos.\n\n2. Postura del niño\n"
            "Posición inicial: de rodillas.\nEjecución: brazos al frente, mantén 30 segundos.\n\n"
            "Errores comunes\n- Encoger los hombros: relájalos 20 segundos.\n"
            "- Aguantar la respiración: respira hondo 30 segundos.\n")
    assert _plan(text) == [("Gato-camello", [20]), ("Postura del niño", [30])]


def test_steps_numbered_again_inside_a_numbered_exercise_are_its_text() -> None:
    text = ("1.- KNEE TO CHEST:\n\n  1. Lie on your back with both legs straight.\n"
            "  2. Hug one knee to your chest and hold 20 seconds.\n\n"
            "2.- CAT BACK:\n\n  1. Kneel on all fours with a flat back.\n"
            "  2. Round your back to the ceiling and hold 15 seconds.\n")
    assert _plan(text) == [("KNEE TO CHEST", [20]), ("CAT BACK", [15])]


def test_a_list_of_sentences_after_a_named_exercise_with_a_text_stays_a_list() -> None:
    # The name has its own text, so the next list is not its steps.
    text = ("Warm-up\n\n1. Calf stretch\nLean into the wall and hold 30 seconds.\n\n"
            "Cool-down\n\n1. Lie on your back and hug both knees, hold 20 seconds.\n"
            "2. Roll onto your side and rest your head on your arm, hold 15 seconds.\n")
    assert [h for _, h in _plan(text)] == [[30], [20], [15]]


def test_a_caption_line_between_exercises_that_each_carry_a_field_is_no_exercise() -> None:
    text = ("Standing Side Reach\nMuscles worked: obliques\n1.Stand with feet apart.\n"
            "2.Reach over to the left, hold 10 seconds.\nReaching over the side\n"
            "Kneeling Hip Flexor Stretch\nMuscles worked: hip flexors\n1.Kneel on one knee.\n"
            "2.Push the hips forward, hold 20 seconds.\n")
    assert _plan(text) == [("Standing Side Reach", [10]), ("Kneeling Hip Flexor Stretch", [20])]


def test_a_picture_line_right_above_the_title_is_no_part_of_it() -> None:
    for picture in ("![Pigeon pose, side view](https://example.org/pigeon.jpg)",
                    '<image>data:image/png;base64,AAAA alt=""</image>'):
        text = (f"{picture}\nPigeon Pose\n1. Kneel on all fours and slide one knee forward.\n"
                "2. Lower the hips and hold for 30 seconds.\n3. Repeat on the other side.\n")
        assert _plan(text, "markdown") == [("Pigeon Pose", [30, 30])]


def test_misspelt_and_joined_field_labels_are_fields() -> None:
    # A patients' blog types its field headings with slips ("Esecuzioine"); a health feed
    # joins two ("Hints and tips", "Movement / action"): fields all the same.
    from narrator.parse import lang
    from narrator.parse.sections import is_field_name

    it, en = lang.load("it"), lang.load("en")
    assert is_field_name("Esecuzioine", it) and is_field_name("Posizione de partenza", it)
    assert is_field_name("Hints and tips", en) and is_field_name("Movement / action", en)
    assert not is_field_name("Rotazione", it)
    assert not is_field_name("Cat and cow", en) and not is_field_name("Hip", en)


def test_misspelt_field_headings_under_numbered_exercise_labels_are_no_exercises() -> None:
    text = ("Esercizi per le spalle\n\nEsercizio 1\n\nPosizione de partenza\n\n"
            "Seduti su una sedia, con la schiena dritta.\n\nEsecuzioine\n\n"
            "Sollevare le spalle verso le orecchie e tenere 10 secondi.\n\nEsercizio 2\n\n"
            "Posizione di partenza\n\nIn piedi, braccia lungo i fianchi.\n\nEsecuzione\n\n"
            "Ruotare le spalle all'indietro e tenere 20 secondi.\n")
    assert _plan(text) == [("Esercizio 1", [10]), ("Esercizio 2", [20])]


def test_joined_field_labels_of_lettered_cards_are_no_exercises() -> None:
    cards = [("Calf stretch", "Lean into a wall, back heel down. Hold this for 20 seconds."),
             ("Chest stretch", "Hands behind you, open the chest. Hold this for 40 seconds.")]
    text = "".join(
        f"{letter}. {name}\n\nEquipment required: none\n\nHints and tips:\n\n"
        "Do not bounce the stretch position, keep it still\n\n"
        f"1 Starting position: stand tall.\n\n2 Movement / action: {move}\n\n"
        for letter, (name, move) in zip("AB", cards, strict=True))
    assert _plan(text) == [("Calf stretch", [20]), ("Chest stretch", [40])]


def test_a_caution_on_its_own_line_is_a_step() -> None:
    from narrator.parse import lang
    from narrator.parse.sections import step_line

    en = lang.load("en")
    assert step_line("Do not \u201cbounce\u201d into the stretch \u2013 stay still", en)
    assert step_line("Don't let the knee pass the ankle", en)
    assert not step_line("Doorway chest stretch", en)


def test_numbered_exercise_labels_are_names_not_blank_labels() -> None:
    text = ("Übungen für den Nacken\n\nÜbung 1\n\nSetzen Sie sich aufrecht hin und neigen Sie "
            "den Kopf zur Seite. Halten Sie 15 Sekunden.\n\nÜbung 2\n\nSetzen Sie sich aufrecht "
            "hin und drehen Sie den Kopf nach links. Halten Sie 20 Sekunden.\n\nÜbung 3\n\n"
            "Ziehen Sie das Kinn zur Brust. Halten Sie 25 Sekunden.\n")
    assert [name for name, _ in _plan(text)] == ["Übung 1", "Übung 2", "Übung 3"]


def test_a_subtitle_line_under_each_name_line_is_part_of_the_exercise() -> None:
    parts = [("Seated twist", "Turn the chest on a chair", "Turn slowly to the right",
              "Hold 20 seconds"),
             ("Neck tilt", "Ear towards the shoulder", "Tip the head to one side",
              "Hold 15 seconds"),
             ("Chest opener", "Hands behind the back", "Open the chest wide", "Hold 25 seconds")]
    text = "Desk stretches\n\nThree easy moves, about five minutes.\n\n" + "".join(
        f"{name}\n{subtitle}\nStarting position: sit tall.\n- {step}\n- {dose}\n"
        for name, subtitle, step, dose in parts)
    assert _plan(text) == [("Seated twist", [20]), ("Neck tilt", [15]), ("Chest opener", [25])]


def test_a_group_line_over_the_first_exercise_of_each_group_is_no_subtitle() -> None:
    text = ("Lower body\nCalf stretch\nLean into a wall and hold 20 seconds.\n"
            "Hamstring stretch\nReach for your toes and hold 30 seconds.\n"
            "Quad stretch\nPull your heel to your bottom and hold 25 seconds.\n"
            "Upper body\nNeck stretch\nTilt your head and hold 15 seconds.\n"
            "Chest stretch\nOpen your arms and hold 40 seconds.\n"
            "Triceps stretch\nReach behind your head and hold 35 seconds.\n")
    names = [name for name, _ in _plan(text)]
    assert names[:3] == ["Calf stretch", "Hamstring stretch", "Quad stretch"]


def test_a_dash_glued_to_the_name_splits_it_from_its_text() -> None:
    text = ("Back stretches\n\nCat-Cow- Kneel on all fours and round the back. Hold 20 "
            "seconds.\n\nChild Pose- Sit back on your heels, arms long. Hold 40 seconds.\n\n"
            "Knee Hug- Lie on your back and pull both knees in. Hold 30 seconds.\n")
    assert _plan(text) == [("Cat-Cow", [20]), ("Child Pose", [40]), ("Knee Hug", [30])]


def test_numbered_steps_under_a_field_label_of_one_card_are_its_steps() -> None:
    text = ("Étirement des mollets\n\nBut : Allonger le mollet.\n\nPosition : Debout face au "
            "mur, mains posées dessus.\n\nAction :\n\n  1. Le patient recule une jambe, talon "
            "au sol.\n  2. Il plie le genou avant et garde la position environ 20 secondes.\n"
            "  3. Le patient refait la même chose de l'autre côté.\n")
    assert [name for name, _ in _plan(text)] == ["Étirement des mollets"]


def test_bullet_names_that_start_with_a_verb_are_names_over_their_paragraphs() -> None:
    # A tips page names each move as an instruction and explains it in a paragraph below;
    # the first ones give no time, as often on such pages.
    moves = [("Solte o pescoço", "Para evitar a rigidez ao fim do dia, gire-o devagar "
              "para um lado e para o outro, sem pressa."),
             ("Faça círculos com os ombros", "Se passa o dia ao computador, rode os ombros "
              "para trás em círculos largos, de vez em quando."),
             ("Alongue as costas", "Estique os braços para cima, entrelace os dedos e fique "
              "assim durante 20 segundos."),
             ("Alongue as pernas", "Com as pernas juntas, desça as mãos até aos pés e fique "
              "nessa posição durante 30 segundos.")]
    text = "Dicas para o escritório\n\nO trabalho cansa o corpo todo.\n\n" + "".join(
        f"- {name}\n{body}\n" for name, body in moves)
    assert [name for name, _ in _plan(text)] == [name for name, _ in moves]


def test_a_verb_line_straight_after_a_step_line_goes_on_with_the_steps() -> None:
    text = ("Calf \u2013 Back of lower leg\n\nHold the stretch for 25 seconds on each leg.\n\n"
            "Stand facing a wall with one foot behind the other\n\n"
            "Slowly lean into the wall while keeping the back heel down\n\n"
            "Keep knee straight\n\nFeel stretch along the back of your calf\n\n"
            "Repeat for opposite leg\n")
    assert _plan(text) == [("Calf \u2013 Back of lower leg", [25, 25])]


@pytest.mark.parametrize("text", [
    "Timed, it comes to about four and a half minutes.",
    "I timed it and this adds 3 minutes to my ride.",
])
def test_a_remark_on_the_whole_sessions_time_is_no_hold(text: str) -> None:
    from narrator.parse.lang import load
    from narrator.parse.timing import read_timing

    assert read_timing(text, load("en")).main_duration is None
