"""How the parser reads a document's structure: which form marks the exercises, what is a
field of an exercise, and when a text is not a routine at all."""

from __future__ import annotations

import contextlib
from dataclasses import replace

import pytest

from narrator.errors import SourceError
from narrator.parse import parse_text
from narrator.parse.blocks import _colon_labels


def _plan(text: str, fmt: str = "markdown") -> list[tuple[str, list[float]]]:
    routine = parse_text(text, source="t.md", fmt=fmt)
    return [(e.name, [h.seconds for h in e.holds]) for e in routine.exercises]


FIELDS = """# Desk breaks

### 1. Neck tilt
- **How to do it:** Drop your ear towards your shoulder.
- **Duration:** 20 seconds per side.

### 2. Chest opener
- **How to do it:** Clasp your hands behind you and lift your chest.
- **Duration:** 30 seconds.
- **Tip:** Keep breathing.

### 3. Wrist stretch
- **How to do it:** Pull the fingers of one hand back with the other.
- **Duration:** 15 seconds each side.
- **Tip:** Go gently.
"""


def test_field_labels_repeated_in_every_exercise_are_not_exercises() -> None:
    assert _plan(FIELDS) == [("Neck tilt", [20, 20]), ("Chest opener", [30]),
                             ("Wrist stretch", [15, 15])]


def test_plain_field_lines_belong_to_the_exercise_above() -> None:
    text = ("Warm-up drills\n\nHigh knees\nPurpose: wakes the hips up\nHow: drive your knees "
            "up to hip height\nDose: 40 seconds\n\nLeg swings\nPurpose: loosens the hamstrings\n"
            "How: swing one leg forward and back\nDose: 30 seconds each side\n\nCalf raises\n"
            "Purpose: ankles ready to run\nHow: rise onto your toes and lower slowly\n"
            "Dose: 45 seconds\n")
    assert _plan(text, "text") == [("High knees", [40]), ("Leg swings", [30, 30]),
                                   ("Calf raises", [45])]


def test_names_repeated_as_whole_rounds_stay_exercises() -> None:
    text = "".join(f"{n}. {name}: hold {s} seconds.\n" for n, (name, s) in enumerate(
        [("Cobra", 20), ("Frog", 40), ("Pigeon", 30)] * 2, start=1))
    assert [name for name, _ in _plan(text, "text")] == ["Cobra", "Frog", "Pigeon"] * 2


RECIPE = """# Baked potatoes with herbs

Serves four. Ready in under an hour.

1. Preheat. Heat the oven to 220 degrees, which takes about 10 minutes.
2. Cut. Wash the potatoes and cut them into quarters. Soak them for 5 minutes.
3. Season. Toss with oil, salt and rosemary.
4. Bake. Roast on the middle shelf for 35 to 40 minutes, turning once.
5. Serve. Rest for 2 minutes, then serve with the dip.
"""


def test_a_recipe_with_timed_steps_is_refused_with_one_line() -> None:
    with pytest.raises(SourceError) as caught:
        parse_text(RECIPE, source="recipe.md", fmt="markdown")
    message = str(caught.value)
    assert caught.value.exit_code == 3
    assert "not a stretching routine" in message and "\n" not in message
    # The oven's "takes about 10 minutes" is no timed part: four of the five steps are.
    assert "4 parts, 3 with times" in message


def test_a_news_story_mentioning_stretching_once_is_refused() -> None:
    text = ("# City marathon breaks its record\n\nThousands of runners crossed the line on "
            "Sunday.\n\n## Medical help\n\nMedics treated 40 runners for cramp, and volunteers "
            "offered stretching at the finish; the queue took 40 minutes.\n\n## Traffic\n\n"
            "Roads in the centre opened again at 2 pm, about 30 minutes late.\n")
    with pytest.raises(SourceError, match="not a stretching routine"):
        parse_text(text, source="news.md", fmt="markdown")


def test_a_strong_single_exercise_still_reads() -> None:
    text = ("Hamstring stretch\n\nLie on your back and loop a towel around one foot. Raise the "
            "straight leg until you feel the back of the thigh. Hold 30 seconds, then switch "
            "legs.\n")
    assert _plan(text, "text") == [("Hamstring stretch", [30, 30])]


def test_exercises_with_unusual_names_but_holds_still_read() -> None:
    text = ("1. Tadasana\nStand tall and stay here for 30 seconds.\n\n2. Uttanasana\nFold "
            "forward and hold for 45 seconds.\n\n3. Balasana\nSink back and remain for 60 "
            "seconds.\n")
    assert _plan(text, "text") == [("Tadasana", [30]), ("Uttanasana", [45]),
                                   ("Balasana", [60])]


def test_a_column_that_only_numbers_the_rows_is_not_the_name() -> None:
    text = ("# Cool-down\n\n| # | Stretch | Time |\n|---|---|---|\n| 1 | Calf stretch | 30 s |\n"
            "| 2 | Quad pull | 45 s |\n")
    assert _plan(text) == [("Calf stretch", [30]), ("Quad pull", [45])]


def test_a_table_drawn_in_ascii_reads_as_a_table() -> None:
    text = ("BOATHOUSE COOL DOWN\n\n+----+--------------+--------+\n| No | Stretch | Time |\n"
            "+----+--------------+--------+\n| 1  | Standing quad | 30 sec |\n"
            "| 2  | Hamstring    | 45 sec |\n| 3  | Lat stretch  | 20 sec |\n"
            "+----+--------------+--------+\n\nLog your splits before you leave.\n")
    assert _plan(text, "text") == [("Standing quad", [30]), ("Hamstring", [45]),
                                   ("Lat stretch", [20])]


def test_roman_numbered_steps_stay_inside_their_lettered_exercise() -> None:
    text = ("SHOULDER HANDOUT\n\nA. Pendulum\n   i.   Lean on a table with your good hand.\n"
            "   ii.  Let the sore arm hang and swing it in small circles.\n   Hold 30 seconds.\n\n"
            "B. Wall Walk\n   i.   Face the wall and put your fingers on it.\n"
            "   ii.  Walk the fingers up as far as is comfortable.\n   Hold 20 seconds.\n")
    assert _plan(text, "text") == [("Pendulum", [30]), ("Wall Walk", [20])]


def test_bracketed_numbers_under_a_rule_are_the_exercises() -> None:
    text = ("STRETCH BEFORE YOUR SHIFT\n\n- Hold each stretch for 15 seconds.\n\n"
            "[1] NECK SIDE BEND\n    Ear towards the shoulder.\n\n[2] SHOULDER ROLLS\n"
            "    Big slow circles backwards.\n\n[3] QUAD STRETCH\n    Heel to backside.\n")
    assert _plan(text, "text") == [("NECK SIDE BEND", [15]), ("SHOULDER ROLLS", [15]),
                                   ("QUAD STRETCH", [15])]


def test_bold_led_lines_with_no_blank_line_between_are_one_exercise_each() -> None:
    text = ("My usual list:\n\n**Forward fold** \u2014 1 min, just hang\n**Lizard** \u2014 45s, "
            "then the other leg, slowly\n**Frog** \u2014 90s, this one is hard, really\n")
    assert [name for name, _ in _plan(text)] == ["Forward fold", "Lizard", "Frog"]


def test_numbers_glued_to_names_by_a_pdf_export_number_the_exercises() -> None:
    text = ("HOME PROGRAM\n\n1Supine Hamstring Stretch\nLie on your back and raise one straight "
            "leg.\nHold 30 secs.\n\n2Glute Bridge\nLift your hips off the floor.\nHold 20 secs.\n")
    assert _plan(text, "text") == [("Supine Hamstring Stretch", [30]), ("Glute Bridge", [20])]


def test_the_posts_of_a_numbered_thread_are_the_exercises() -> None:
    text = ("My desk routine. A thread 1/4\n\n2/4 Chin tucks. Sit tall and glide your chin back. "
            "Hold 20 seconds.\n\n3/4 Doorway pec stretch. Forearms on the frame, step through. "
            "45 sec.\n\n4/4 See someone in person if it hurts.\n")
    assert _plan(text, "text") == [("Chin tucks", [20]), ("Doorway pec stretch", [45])]


def test_an_exercise_field_gives_the_name() -> None:
    text = ("Knee clinic sheet\n\nExercise:\tStatic quads\nPosition:\tLying, legs straight\n"
            "Instructions:\tTighten the front of the thigh.\nHold:\t10 sec\n\n"
            "Exercise:\tCalf stretch\nPosition:\tStanding, facing the wall\n"
            "Instructions:\tBack leg straight, lean in.\nHold:\t30 sec\n")
    assert _plan(text, "text") == [("Static quads", [10]), ("Calf stretch", [30])]


def test_a_time_in_bold_before_the_name_is_the_dose() -> None:
    text = ("# Bedtime card\n\n- **45 sec** \u2014 Seated forward bend\n- **1 min** \u2014 "
            "Knees-to-chest rock\n- **3 min** \u2014 Legs up the wall\n")
    assert _plan(text) == [("Seated forward bend", [45]), ("Knees-to-chest rock", [60]),
                           ("Legs up the wall", [180])]


def test_a_table_that_lays_out_an_email_is_not_a_table_of_exercises() -> None:
    page = ("<html><body><table><tr><td><h1>Weekly Stretch</h1><p>Hold each stretch for 30 "
            "seconds on each side.</p><p><strong>Stretch 1: Butterfly</strong><br>Sit with the "
            "soles of your feet together and let the knees drop.</p><p><strong>Stretch 2: "
            "Pigeon</strong><br>Bring one knee forward behind your wrist.</p></td></tr>"
            "</table></body></html>")
    routine = parse_text(page, source="mail.html", fmt="html")
    assert [e.name for e in routine.exercises] == ["Butterfly", "Pigeon"]


def test_a_table_aligned_with_spaces_reads_as_a_table() -> None:
    text = ("GYM CARD\n\n N.  EXERCISE              TIME          NOTES\n"
            " 1   Standing quad         20 seconds    knees together\n"
            " 2   Hamstring at bars     30 seconds    leg straight\n"
            " 3   Calf at the wall      40 seconds    heel down\n\nRest 15 seconds between.\n")
    assert _plan(text, "text") == [("Standing quad", [20]), ("Hamstring at bars", [30]),
                                   ("Calf at the wall", [40])]


def test_numbers_with_a_slash_or_a_glued_full_stop_number_the_exercises() -> None:
    text = ("Stretches after the track session:\n\n1/ Calves against the wall: 30 s per leg\n"
            "2/ Hamstrings, heel on the bench: 45 s\n3/ Quads standing: 30 s per leg\n")
    assert _plan(text, "text") == [("Calves against the wall", [30, 30]),
                                   ("Hamstrings, heel on the bench", [45]),
                                   ("Quads standing", [30, 30])]
    text = ("STRETCH TABLE\n1.Seated hamstrings\nSit with straight legs and reach for your feet."
            " Hold 20 seconds.\n2.Butterfly\nSoles together, push the knees down. Hold 30 "
            "seconds.\n")
    assert _plan(text, "text") == [("Seated hamstrings", [20]), ("Butterfly", [30])]


def test_a_note_bullet_in_the_exercises_own_form_belongs_to_the_exercise_above() -> None:
    # "• Name: steps" bullets with a "Beachten Sie:" bullet after some of them (two real
    # magazine pages set their cautions so): the note is no exercise, once or twice.
    text = ("- Wadendehnung: Stellen Sie sich vor eine Wand und schieben Sie die Ferse nach "
            "hinten. Halten Sie 30 Sekunden.\n"
            "- Beachten Sie: Die Ferse bleibt dabei auf dem Boden.\n"
            "- Hüftbeuger: Gehen Sie in einen tiefen Ausfallschritt. 20 Sekunden halten.\n"
            "- Nackendehnung: Neigen Sie den Kopf zur Seite. 15 Sekunden halten.\n")
    assert [name for name, _ in _plan(text, "text")] == [
        "Wadendehnung", "Hüftbeuger", "Nackendehnung"]
    assert _plan(text, "text")[0] == ("Wadendehnung", [30])


def test_a_compound_group_heading_numbered_before_its_exercises_is_not_one() -> None:
    # A manual's "5. Aufwärmübungen" section, its exercises numbered from 1 under it, with
    # "5 bis 10 Minuten" of advice: the heading is no exercise and its minutes no hold.
    text = ("5.\nAufwärmübungen\nDehnen Sie sich vor jedem Training 5 bis 10 Minuten lang.\n"
            "1.\nSeitbeuge\nNeigen Sie den Oberkörper zur Seite. 20 Sekunden halten.\n"
            "2.\nWadendehnung\nSchieben Sie die Ferse nach hinten. 30 Sekunden halten.\n")
    assert _plan(text, "text") == [("Seitbeuge", [20]), ("Wadendehnung", [30])]


def test_caps_names_run_into_one_paragraph_split_it() -> None:
    # A handout flattened to one paragraph, each exercise an ALL-CAPS name with its dose in
    # brackets: the first name, plural as it is, stays an exercise for its per-side hold.
    text = ("ESTIRAMIENTOS DE CUÁDRICEPS (30 segundos cada pierna) Sujeta el pie por detrás y "
            "acerca el talón al glúteo. Mantén la espalda recta. ISQUIOS (20 segundos) "
            "Inclínate hacia delante con las piernas estiradas. No rebotes. ESPALDA BAJA "
            "(40 segundos) Túmbate boca arriba y lleva las rodillas al pecho.\n")
    assert _plan(text, "text") == [("ESTIRAMIENTOS DE CUÁDRICEPS", [30, 30]),
                                   ("ISQUIOS", [20]), ("ESPALDA BAJA", [40])]


TITLE_OVER_HOW_TO = """The Doorway Chest Stretch

Shoulders up by your ears again? All it needs is an open door.

How To Do It

Stand in the doorway and rest your forearm on the frame. Turn your chest away from the arm
until the front of the shoulder opens. Hold for 45 seconds on each arm.
"""


def test_one_exercise_named_only_by_the_title_takes_the_title() -> None:
    # taylorsfitness.com and a TV station's "Übungsablauf" page: the steps' heading says how,
    # the title says which stretch.
    assert _plan(TITLE_OVER_HOW_TO, fmt="text") == [
        ("The Doorway Chest Stretch", [45.0, 45.0])]


def test_a_title_naming_no_exercise_lends_no_name() -> None:
    # Refused, whichever part the refusal names: "How To Do It" as a part, or the title once
    # "How To Do It" is read as the field label it is. Nor is its text one exercise: it never
    # calls itself a stretch.
    text = TITLE_OVER_HOW_TO.replace("The Doorway Chest Stretch", "Our Week at the Studio")
    with pytest.raises(SourceError, match="not a stretching routine"):
        parse_text(text, source="t.txt", fmt="text")


LONE_CALF_STRETCH = """Notes from the studio

Stand facing a wall with your hands flat on it. Step your right foot back and press the heel
down until the calf pulls. Hold the calf stretch for half a minute each side,
then relax.
"""


def test_stretches_timed_each_are_several_and_one_stretch_each_side_is_one() -> None:
    # Running text under a title that names no exercise: one stretch, timed for each side...
    assert [seconds for _, seconds in _plan(LONE_CALF_STRETCH, fmt="text")] == [[30.0, 30.0]]
    # ... but a story's "stretches of half a minute each." speaks of several it never sets
    # apart.
    story = LONE_CALF_STRETCH.replace(
        "Hold the calf stretch for half a minute each side,\nthen relax.",
        "Her clip runs through stretches of half\na minute each. Step to the side and relax.")
    assert story != LONE_CALF_STRETCH
    with pytest.raises(SourceError):
        parse_text(story, source="t.txt", fmt="text")


def test_a_dash_in_a_one_exercise_name_is_no_word() -> None:
    # "FEEL: a stretch ..." says what to do ("feel" starts an instruction), so the lone card
    # of two labelled bullets reads, with no time, at the default hold.
    text = ("Hip Flexor Stretch \u2013 Posterior Tilt\n\n"
            "  \u2022 HOW: Kneel on one knee and shift the hips forward until the front of the "
            "hip pulls.\n  \u2022 FEEL: A stretch along the front of the hip.\n")
    assert [name for name, _ in _plan(text, fmt="text")] == [
        "Hip Flexor Stretch \u2013 Posterior Tilt"]


FACET_PAGE = """Sitename

Seated Calf Stretch

A photo of someone sitting with one leg out and a towel round the foot

What it does

It loosens the back of the lower leg after a long day on your feet.

How to do it

1. Sit on the floor with your legs straight out.
2. Loop a towel round the ball of one foot and pull it gently towards you.
3. Stay there for 25 seconds, breathing slowly.

Muscles involved

- Main: gastrocnemius.
- Also: soleus.
"""


def test_a_page_of_one_exercise_cut_into_facets_is_that_exercise() -> None:
    # Facet headings ("How to do it", "Muscles involved") name no stretch and only one
    # holds a dose: the page is one exercise named by its title, not a refused list.
    assert _plan(FACET_PAGE, fmt="text") == [("Seated Calf Stretch", [25])]


def test_labelled_fields_under_one_title_are_one_exercise() -> None:
    text = ("Wide Seated Forward Reach\n\nMain Muscle Group: Inner thighs\n\n"
            "Preparation: Sit down with your legs spread wide. Chin level.\n\n"
            "Breathing: In and out calmly from start to finish.\n\n"
            "Execution: Fold forward from the hips with your hands walking out along the "
            "floor. Hold for 15-20 seconds.\n\nComments: No bouncing.\n")
    assert _plan(text, fmt="text") == [("Wide Seated Forward Reach", [20])]


def test_a_timetable_under_a_title_naming_no_move_stays_refused() -> None:
    text = ("Group Exercise Timetable\n\nMonday\n\nSpin class, 18:00 for 45 minutes.\n\n"
            "Tuesday\n\nBook your place at the front desk.\n")
    with pytest.raises(SourceError):
        parse_text(text, source="t.txt", fmt="text")


def test_one_card_whose_fields_read_like_exercises_is_still_one_exercise() -> None:
    # "Setup: lie on your back ..." is about the body and says what to do, like an
    # exercise; but single-word labels with one dose among them are the fields of one card.
    text = ("Lying Knee Hug\n\nTarget: lower back\n\n"
            "Setup: Lie on your back with both knees bent and your feet on the floor.\n\n"
            "Action: Pull one knee to your chest with both hands and hold 20 seconds.\n\n"
            "Tips: Keep your head and shoulders on the mat.\n")
    assert _plan(text, fmt="text") == [("Lying Knee Hug", [20])]


def test_led_pose_names_each_with_a_dose_stay_a_list() -> None:
    text = ("Yoga for tight hips\n\nTadasana: Stand tall, knees and feet together, arms by "
            "your sides. Hold 5 breaths.\n\n"
            "Malasana: Squat low, heels down, elbows pressing the knees apart. Hold 5 breaths.\n")
    assert [name for name, _ in _plan(text, fmt="text")] == ["Tadasana", "Malasana"]


def test_name_lines_set_straight_over_bullet_steps_are_the_exercises() -> None:
    # A blog copied from the browser: no blank lines, each exercise a plain name line over
    # its dash steps. The name is neither the intro's last line nor the step above it.
    text = ("Hold each stretch for 20 seconds.\nCalves\n- Press the heel into the floor.\n"
            "- Change legs.\nLower back\n- Hug both knees into your chest.\n")
    assert _plan(text, "text") == [("Calves", [20, 20]), ("Lower back", [20])]


# --------------------------------------------------------------------------- lost line breaks


def test_bullets_run_into_one_line_are_put_back_under_their_names() -> None:
    # A repost flattened onto one line: the names stand after the last sentence of the
    # bullets above (or, after an intro without full stops, start like the other names).
    text = ("Post-ride stretches Hold every stretch for 25 seconds Never bounce Stretch: your "
            "calves • Stand facing a wall. • Step one foot back, heel down. • Hold for 25 "
            "seconds, then change legs. STRETCH: YOUR GLUTES • Lie on your back. • Cross one "
            "ankle over the other knee. • Hold for 25 seconds and then swap sides. Stretch: your "
            "chest • Stand in a doorway. • Step through gently. • Hold for 25 seconds.")
    names = [name.lower() for name, _ in _plan(text, fmt="text")]
    assert names == ["your calves", "your glutes", "your chest"]


def test_few_inline_bullets_stay_words_of_their_line() -> None:
    from narrator.parse.blocks import _rerun_markers

    line = "fisio.camila.ramos • Seguir • 2 h"
    assert _rerun_markers([line], ("step",), ()) == [line]


def test_dash_items_glued_to_the_paragraph_above_start_their_own_lines() -> None:
    from narrator.parse.blocks import _rerun_markers

    lines = ["- Incline a cabeça", "Leve a orelha ao ombro. - Rode os ombros",
             "Dez círculos lentos. - Abra o peito", "Mantenha 30 segundos. - Toque nos pés",
             "Fique assim 30 segundos."]
    assert _rerun_markers(lines, ("passo",), ()) == [
        "- Incline a cabeça", "Leve a orelha ao ombro.", "- Rode os ombros",
        "Dez círculos lentos.", "- Abra o peito", "Mantenha 30 segundos.", "- Toque nos pés",
        "Fique assim 30 segundos."]
    # One such dash is a sentence's punctuation, not a list.
    one = ["Sente-se direito. - Depois descanse"]
    assert _rerun_markers(one, ("passo",), ()) == one


def test_numbered_labels_glued_into_one_paragraph_are_the_exercises() -> None:
    text = ("Loosen up\n\nA stiff back wants to move:Exercise 1: Lie on your back and pull both "
            "knees to your chest. Hold for 20 seconds.Exercise 2: Kneel on all fours and round "
            "your back towards the ceiling. Repeat ten times.Exercise 3: Sit on a chair and "
            "turn your upper body to the right. Hold for 15 seconds, then turn to the left.\n")
    assert _plan(text, fmt="text") == [("Exercise 1", [20]), ("Exercise 2", [30]),
                                       ("Exercise 3", [15, 15])]


def test_labels_that_do_not_count_up_are_left_in_their_sentence() -> None:
    from narrator.parse.blocks import _rerun_markers

    line = "See step 4: it matters.Step 2: again. Step 7: later."
    assert _rerun_markers([line], ("step",), ()) == [line]

def test_a_list_of_stretching_mistakes_tells_nothing_to_do_and_is_refused() -> None:
    # Every heading names stretching, and one text gives a time, but no text gives a step,
    # a hold or sides: the page warns about stretching, it is no routine.
    text = ("Common stretching mistakes\n\n#1 Not holding a stretch long enough\n\nA quick "
            "burn does little for the muscles; trainers speak of about 60 seconds per "
            "stretch.\n\n#2 Stretching too hard\n\nPushing past the limit can tear a muscle "
            "fibre.\n\n#3 Holding your breath\n\nMany people tense up in a deep stretch.\n")
    with pytest.raises(SourceError, match="none says what to do"):
        parse_text(text, source="t.txt", fmt="text")


def test_a_pose_named_over_a_why_heading_with_no_step_is_refused() -> None:
    text = ("Pigeon Pose\n\nFew poses split a class like this one, and the hips feel it.\n\n"
            "Why It Matters\n\nDesk days leave the hip short, and the knees may complain.\n")
    with pytest.raises(SourceError, match="none says what to do"):
        parse_text(text, source="t.txt", fmt="text")


def test_a_poster_of_names_and_times_only_still_reads() -> None:
    # No step and no hold verb, but every part is dosed: names and times are a routine.
    text = "Hip flow\n\n- Butterfly: 2 minutes\n- Frog pose: 90 seconds\n- Happy baby: 1 minute\n"
    assert [name for name, _ in _plan(text, "text")] == ["Butterfly", "Frog pose", "Happy baby"]


def test_running_text_that_is_one_exercise_is_read_as_one() -> None:
    # No heading, no list: the page still says which stretch, what to do, for how long and
    # on both sides, so it is one exercise, named where the text first says which.
    text = ("Desk days leave the hips tight, and runners feel it first.\n\n"
            "Here is a simple stretch for stiff hip flexors. Kneel with one knee down and "
            "the other foot in front. Shift your weight forward until the front of the back "
            "hip pulls. Hold for 45 seconds, then change legs.\n")
    assert _plan(text, "text") == [("stretch for stiff hip flexors", [45, 45])]


def test_a_news_item_quoting_one_hold_stays_refused() -> None:
    # A study's finding, with a hold and body words, but one quoted step and no sides.
    text = ("STRETCHING: 30 SECONDS BEAT 10, SAYS A STUDY\n\n"
            "Rome, 8 Oct. - Holding a stretch of the thigh and the calf for 30 seconds does "
            "more than holding it for 10, researchers found after six weeks with 36 students.\n")
    with pytest.raises(SourceError):
        parse_text(text, source="t.txt", fmt="text")


def test_running_text_with_a_rule_for_each_exercise_is_not_one_exercise() -> None:
    # "Do each stretch twice": the text holds several exercises, which one name would hide.
    text = ("Stretch the chest against a door frame, then the neck to each side, then the "
            "calves against the wall; do each stretch twice for 20 seconds, swap sides.\n")
    routine = None
    with contextlib.suppress(SourceError):
        routine = parse_text(text, source="t.txt", fmt="text")
    assert routine is None or len(routine.exercises) != 1


def test_bare_numbers_counting_up_before_names_are_a_numbered_list() -> None:
    # A flip-book PDF's big numbers lose their stop; an icon's digits sit after the name.
    from narrator.parse.blocks import _bare_numbers

    lines = ["4 Étirer les hanches 3 Allongée sur le dos, tenir 30 sec.", "",
             "5 Ouvrir les épaules 33", "A", "Debout, mains croisées dans le dos."]
    assert _bare_numbers(lines) == ["4. Étirer les hanches", "Allongée sur le dos, tenir 30 sec.",
                                    "", "5. Ouvrir les épaules", "A",
                                    "Debout, mains croisées dans le dos."]


def test_bare_numbers_of_a_recipe_stay_as_they_are() -> None:
    from narrator.parse.blocks import _bare_numbers

    lines = ["1 Banane", "2 EL gehackte Walnüsse", "1 Prise Salz"]
    assert _bare_numbers(lines) == lines


def test_a_number_glued_to_its_name_is_of_the_list_it_starts() -> None:
    from narrator.parse.blocks import _spaced_glued_numbers

    lines = ["1.Esercizi pendolari: dondolare il braccio.", "2. Fissare le scapole: ..."]
    assert _spaced_glued_numbers(lines)[0] == "1. Esercizi pendolari: dondolare il braccio."
    # Glued names over spaced steps counted from 1 again are two lists: left as they are.
    nested = ["1.Allungamento del polpaccio", "1. Mettetevi in piedi.", "2. Piegate."]
    assert _spaced_glued_numbers(nested) == nested


CUT_PAGE = """Stretches for the feet:

1. CALF AND HEEL: stand on a step and lower one heel. Hold for 20 seconds.
2. ANKLE CIRCLES: sit and turn one foot in circles. Do it 10 times, then change feet.
3. TOE PULL: sit, pull the toes of one foot towards you with a towel. Hold 15 seconds.
4. PLANTAR RELIEF: still seated, a tennis ball under the sole, moving it forward and
back slowly until the fasc
"""


def test_the_last_numbered_item_cut_off_by_the_copy_is_still_an_exercise() -> None:
    assert [name for name, _ in _plan(CUT_PAGE, fmt="text")] == [
        "CALF AND HEEL", "ANKLE CIRCLES", "TOE PULL", "PLANTAR RELIEF"]


def test_forum_handles_and_comment_headers_are_no_exercises() -> None:
    text = ("**r/stretching** · Posted by u/tight_hips_99 · 2y\n\n"
            "My routine, everything done once:\n\n"
            "**Pigeon pose** — 60s/side\n\n**Butterfly** — 1 min\n\n**Top comments**\n\n"
            "**u/flexy_fran** · 88 points\n> thanks, saving this\n\n"
            "u/other_one · 12 points how long did it take?\n")
    routine = parse_text(text, source="forum.md", fmt="markdown")
    assert [e.name for e in routine.exercises] == ["Pigeon pose", "Butterfly"]


FLAT_HANDOUT = (
    "Jede Dehnung etwa 20 Sekunden halten. Dehnung der Schulter Den Arm gestreckt vor der "
    "Brust zur anderen Seite führen. Die Dehnung ist hinten an der Schulter spürbar. Beachte: "
    "Schultern tief! Dehnung der unteren Rückenstrecker Im Vierfüßlerstand den Rücken rund "
    "machen und zur Decke ziehen. Beachte: Kinn zur Brust! Dehnung des Hüftbeugers Im "
    "Kniestand ein Bein nach vorn setzen und die Hüfte nach vorn schieben. Beachte: Bauch fest!")


def test_names_led_by_the_word_for_a_stretch_cut_a_flattened_handout() -> None:
    assert [name for name, _ in _plan(FLAT_HANDOUT, fmt="text")] == [
        "Dehnung der Schulter", "Dehnung der unteren Rückenstrecker", "Dehnung des Hüftbeugers"]


def test_a_stretch_name_stops_where_the_instruction_starts() -> None:
    from narrator.parse.blocks import _stretch_name

    words = ("dehnung", "estiramiento")
    assert _stretch_name("Dehnung des Nacken Im Stand den Kopf neigen.", words) == (
        "Dehnung des Nacken")
    assert _stretch_name("Estiramiento de los gemelos Colócate frente a la pared.", words) == (
        "Estiramiento de los gemelos")
    # A sentence about stretching is no name: no capital starts an instruction after it.
    assert _stretch_name("Dehnung tut vor allem nach dem Laufen gut.", words) is None


def test_an_infinitive_at_the_end_of_a_german_instruction_says_what_to_do() -> None:
    from narrator.parse import lang
    from narrator.parse.sections import final_verb

    pattern = final_verb(lang.load("de"))
    assert pattern.search("Den Kopf seitlich in Richtung Schulter ziehen.")
    assert pattern.search("Das Bein anwinkeln und die Ferse zum Gesäß heranziehen, dann halten")
    assert not pattern.search("Wer sich dehnt, solle damit ruhig weitermachen.")
    assert not final_verb(lang.load("en")).search("Keep going until you stand.")

def test_running_text_with_steps_and_sides_but_no_time_is_one_exercise_at_the_default() -> None:
    # A newspaper's series: the exercise in prose, "stay a while", then the other leg. No
    # time, but steps and both sides: one exercise at the default hold, not a refusal.
    text = ("Unsere Trainer zeigen jede Woche etwas Neues.\n\n"
            "Legen Sie sich auf den Rücken und stellen Sie die Beine auf. Bringen Sie den "
            "linken Fuß über das rechte Knie. Ziehen Sie das rechte Bein zur Brust. Bleiben "
            "Sie ein Weilchen in der Dehnung.\n\nDann wechseln Sie das Bein.\n")
    assert [holds for _, holds in _plan(text, "text")] == [[30, 30]]


def test_a_name_in_running_text_is_where_it_first_says_which() -> None:
    from narrator.parse.confidence import named_in_text
    from narrator.parse.lang import load

    assert named_in_text("Desk days hurt. This is my favourite stretch for stiff hips. "
                         "Put one leg up.", load("en")) == "stretch for stiff hips"
    assert named_in_text("In Übung vier geht es um die Wadendehnung.", load("de")) == (
        "Wadendehnung")
    # The first mention says what to feel, not which exercise: no name.
    assert named_in_text("Lean in. Feel the stretch in your calf.", load("en")) == ""


def test_a_refusal_says_what_the_text_lacks_to_be_one_exercise() -> None:
    text = ("Slide show\n\nThe knee hug stretch works the lower back and the hips.\n\n"
            "- Lie on your back.\n- Pull one knee to your chest.\n")
    with pytest.raises(SourceError, match="gives no hold for a time, no breaths and no reps"):
        parse_text(text, source="t.txt", fmt="text")


def test_a_team_sheet_of_caps_muscle_headings_reads_every_one() -> None:
    # "QUADS" is no agency credit, "back leg straight, heel down. 30s each leg" no keyword
    # line, and "POST-TRAINING COOL DOWN" the routine's title, not its first exercise.
    text = ("CITY ROWING CLUB\nPOST-TRAINING COOL DOWN\n\nEveryone does this before the bus.\n\n"
            "QUADS\nStand on one leg, heel to the seat, knees together.\n30s each leg\n\n"
            "CALVES\nAgainst the fence, back leg straight, heel down.\n30s each leg\n\n"
            "LOWER BACK\nLie on back, hug both knees in, rock gently. 30s\n")
    routine = parse_text(text, source="sheet.txt", fmt="text")
    assert [(e.name, len(e.holds)) for e in routine.exercises] == [
        ("QUADS", 2), ("CALVES", 2), ("LOWER BACK", 1)]


def test_one_exercise_in_running_text_takes_the_page_title_for_want_of_a_name() -> None:
    page = ("<html><head><title>Nadelöhr | Fitness leicht gemacht</title></head><body>"
            "<p>Legen Sie sich auf den Rücken und stellen Sie die Beine auf. Bringen Sie den "
            "linken Fuß über das rechte Knie. Ziehen Sie das rechte Bein zur Brust. Bleiben "
            "Sie ein Weilchen in der Dehnung.</p><p>Dann wechseln Sie das Bein.</p></body></html>")
    assert _plan(page, "html") == [("Nadelöhr", [30, 30])]


def test_a_recipe_in_one_paragraph_with_times_and_sides_is_no_exercise() -> None:
    # Thighs, legs, steps, a time and "the other side", but never a stretch or an exercise.
    text = ("Crispy thighs are the easiest dinner. Pat the chicken thighs and legs dry. Place "
            "them skin-side down in a cold pan and press them flat. Cook for 12 minutes, then "
            "turn them to the other side.\n\nRest the meat on its back before serving.\n")
    with pytest.raises(SourceError, match="never says it is a stretch or an exercise"):
        parse_text(text, source="t.txt", fmt="text")


def test_a_timetable_of_time_spans_times_each_exercise_by_its_span() -> None:
    text = ("Ten-minute wind-down\n\n0:00 - 1:00 Cat cow\n1:00 - 2:30 Child's pose\n"
            "2:30 - 3:00 Neck rolls\n3:00 - 5:00 Reclined twist\n")
    routine = parse_text(text, source="slots.txt", fmt="text")
    assert [(e.name, [h.seconds for h in e.holds]) for e in routine.exercises] == [
        ("Cat cow", [60]), ("Child's pose", [90]), ("Neck rolls", [30]),
        ("Reclined twist", [120])]


def test_time_spans_that_do_not_follow_on_are_no_timetable() -> None:
    from narrator.parse.blocks import _time_slots
    lines = ["0:00 - 1:00 Cat cow", "2:00 - 2:30 Child's pose", "5:00 - 5:30 Neck rolls"]
    assert _time_slots(lines) == {}


def test_a_name_given_in_running_text_names_the_one_exercise() -> None:
    from narrator.parse import lang
    from narrator.parse.confidence import called_name

    de = lang.load("de")
    text = ("Heute widmen wir uns dem Dehnen, im Englischen Stretching genannt. Wir wagen uns "
            "an eine Dehnungsübung, die gern Brezel genannt wird und aus dem Pilates kommt.")
    assert called_name(text, de) == "Brezel"
    en = lang.load("en")
    assert called_name("Next is a hip stretch called the figure four, done lying down.",
                       en) == "the figure four"
    # A sentence that speaks of no stretch or body part names nothing.
    assert called_name("Our coach, called Anna by everyone, runs the class.", en) == ""



def test_bullets_that_are_all_orders_under_a_stretch_title_are_its_steps() -> None:
    text = ("Seated Twist\n\nA quick one for the office.\n\n"
            "  • Sit tall near the front of the chair.\n"
            "  • Place your right hand on your left knee.\n"
            "  • Turn your chest to the left and look over your shoulder. Hold for 20 seconds.\n"
            "  • Come back to the middle slowly.\n")
    routine = parse_text(text, source="one.txt", fmt="text")
    assert [e.name for e in routine.exercises] == ["Seated Twist"]


def test_a_routine_of_named_items_under_a_title_stays_a_list() -> None:
    text = ("Evening Stretches\n\n  • Child's pose: hold for 30 seconds.\n"
            "  • Cat cow: 10 slow rounds.\n  • Supine twist: 30 seconds each side.\n")
    routine = parse_text(text, source="list.txt", fmt="text")
    assert [e.name for e in routine.exercises] == ["Child's pose", "Cat cow", "Supine twist"]


@pytest.mark.parametrize(("code", "text"), [
    ("es", "En el suelo, con la mano en una mesa. Subir de puntillas y bajar despacio."),
    ("it", "In piedi vicino al muro. Spostare il peso sulla gamba tesa."),
    ("pt", "De pé ao lado da cadeira. Elevar os braços acima da cabeça."),
    ("fr", "Debout contre le mur. Rapprocher les mains et pousser doucement."),
])
def test_a_step_opening_with_an_infinitive_says_what_to_do(code: str, text: str) -> None:
    # Handouts in Romance languages write their steps as infinitives, from verbs no list
    # holds all of ("Subir", "Sollevare"); the part still tells the reader what to do.
    from narrator.parse import lang
    from narrator.parse.confidence import says_what_to_do
    from narrator.parse.sections import Section

    assert says_what_to_do(Section("Gemelos", text, (), 0, 1), lang.load(code))


def test_an_infinitive_inside_a_name_or_a_noun_is_no_step() -> None:
    # The name is not read for it ("Estirar el cuádriceps" names an exercise), and a
    # sentence opening with a short word ending like an infinitive ("Ir al trabajo") is no
    # step either.
    from narrator.parse import lang
    from narrator.parse.confidence import says_what_to_do
    from narrator.parse.sections import Section

    es = lang.load("es")
    assert not says_what_to_do(Section("Estirar el cuádriceps", "Ir al trabajo.", (), 0, 1), es)


@pytest.mark.parametrize(("code", "word"), [
    ("en", "calves"), ("de", "Handgelenk"), ("es", "pantorrilla"), ("fr", "omoplates"),
    ("it", "caviglie"), ("pt", "tornozelos"),
])
def test_body_parts_beyond_the_layout_vocabulary_are_body_words(code: str, word: str) -> None:
    from narrator.parse import lang
    from narrator.parse.confidence import exercise_words

    assert exercise_words(lang.load(code)).search(f"Una parte: {word}.")


def test_en_and_em_dashes_lead_list_items_as_hyphens_do() -> None:
    # Pages in Portuguese, Spanish and French mark their lists with en or em dashes.
    text = ("Alongamentos\n\nFique em cada posição 30 segundos.\n\n"
            "\u2013 Panturrilha: mãos na parede, uma perna atrás, calcanhar no chão.\n\n"
            "\u2014 Quadríceps: de pé, puxe o pé em direção ao glúteo.\n")
    assert [name for name, _ in _plan(text, fmt="text")] == ["Panturrilha", "Quadríceps"]


def test_lower_case_labels_ending_with_a_colon_head_their_text() -> None:
    # A hobby site's "für die Waden:" over a paragraph names that exercise like a heading.
    text = ("# Nach dem Laufen\n\nJede Dehnung 20 Sekunden halten.\n\n"
            "für die Waden:\nStell einen Fuß weit nach hinten, die Ferse bleibt am Boden.\n\n"
            "hintere Oberschenkel:\nLeg die Ferse auf eine Stufe und neig dich nach vorn.\n")
    assert [name for name, _ in _plan(text, fmt="text")] == ["für die Waden",
                                                            "hintere Oberschenkel"]


def test_an_order_with_its_pronoun_joined_on_says_what_to_do() -> None:
    # "Recuéstense boca abajo", "Siéntate": the stress mark shows the joined pronoun.
    from narrator.parse import lang
    from narrator.parse.sections import opening_reflexive

    es = lang.load("es")
    assert opening_reflexive(es).search("Al empezar. Recuéstense boca abajo en la esterilla.")
    assert opening_reflexive(es).search("Siéntate en el suelo con la espalda recta.")
    assert not opening_reflexive(es).search("Después de correr conviene estirar.")
    assert not opening_reflexive(lang.load("pt")).search("Recomenda-se alongar todos os dias.")



def test_a_tips_field_under_one_exercise_is_no_exercise_of_its_own() -> None:
    text = ("Dehnung der Beinrückseite\n\nStell dich aufrecht hin und beuge den Oberkörper "
            "mit geradem Rücken nach vorn, bis du die Dehnung im Oberschenkel spürst. Halte 20 "
            "Sekunden und wiederhole das dreimal.\n\nTrainingstipps:\nAtme ruhig weiter und "
            "federe nicht.\n\nZiel der Übung:\nDie Rückseite der Beine wird länger.\n")
    assert _plan(text, fmt="text") == [("Dehnung der Beinrückseite", [20, 20, 20])]


@pytest.mark.parametrize(("code", "label"), [
    ("en", "Variation"), ("de", "Trainingstipps"), ("es", "Instrucciones"),
    ("fr", "Que faire"), ("it", "Istruzioni"), ("pt", "Passo a passo"),
])
def test_more_field_labels_are_fields_in_every_language(code: str, label: str) -> None:
    # A handout's "Variation:", "Trainingstipps:", "Que faire :" belongs to the exercise
    # above it; read as names they were exercises of their own.
    from narrator.parse import lang

    assert label.lower() in lang.load(code).field_names


@pytest.mark.parametrize(("code", "label"), [
    ("de", "Tips"), ("es", "Tips"), ("es", "Trucos"), ("fr", "Tips"), ("it", "Suggerimenti"),
    ("it", "Trucchi"), ("pt", "Truques"),
])
def test_tips_fields_as_every_language_writes_them_are_fields(code: str, label: str) -> None:
    # Pages in every language head their advice with the English loanword ("Tips:" on a
    # Spanish exercise card) or their own word for tricks; read as names they were
    # exercises of their own.
    from narrator.parse import lang

    assert label.lower() in lang.load(code).field_names


def test_a_loanword_tips_field_on_a_spanish_card_is_no_exercise() -> None:
    text = ("Estiramiento de gemelos en la pared\n\nCómo se hace:\nApoya las manos en la pared "
            "y lleva una pierna atrás con el talón en el suelo. Aguanta 20 segundos.\n\n"
            "Tips:\n- No rebotes.\n- Aleja un poco más el pie si no notas nada.\n")
    assert [name for name, _ in _plan(text, fmt="text")] == [
        "Estiramiento de gemelos en la pared"]


def test_an_exercise_label_with_a_title_after_it_is_named_by_the_title() -> None:
    text = ("Nacken am Schreibtisch\n\n- Übung 1: Kopf zur Seite neigen\n  Ohr Richtung Schulter, "
            "20 Sekunden halten, dann die andere Seite.\n- Übung 2: Kinn zur Brust\n  Den Kopf "
            "langsam senken und 15 Sekunden halten.\n- Übung 3\n  Die Schultern kreisen, 10 "
            "Wiederholungen.\n")
    # A bare label stays the name: nothing else names the third one.
    assert [name for name, _ in _plan(text, fmt="text")] == [
        "Kopf zur Seite neigen", "Kinn zur Brust", "Übung 3"]


def test_bare_numbers_rising_inside_one_line_split_it_into_exercises() -> None:
    # A PDF copied as text runs its numbered list into one line; the name is the words
    # before the first sentence ("Hip Flexors | Kneel on one knee ...").
    text = ("Cool down\n1 Calves Face a wall and step one foot back. Hold 15 seconds. 2 Hip "
            "Flexors Kneel on one knee and shift forward. Hold 15 seconds. 3 Chest Clasp your "
            "hands behind your back. Hold 20 seconds.\n")
    assert _plan(text, fmt="text") == [("Calves", [15]), ("Hip Flexors", [15]), ("Chest", [20])]


def test_numbers_in_a_sentence_do_not_split_it() -> None:
    text = ("Squat and hold\n\nStand with your feet apart and sit back as if into a chair. Hold "
            "for 30 seconds. 2 or 3 rounds are plenty for most people, and 4 is a lot.\n")
    assert [name for name, _ in _plan(text, fmt="text")] == ["Squat and hold"]


def test_a_lead_line_ending_with_a_colon_names_the_steps_under_it() -> None:
    # "So funktioniert die Kindhaltung:" leads to one pose's steps; a colon at the end is
    # no field with a value ("Primary Muscle Group: Hamstrings"), so the steps are that pose.
    text = ("Nach einem langen Tag hilft mir eine ruhige Haltung aus dem Yoga.\n\n"
            "So klappt die Katzenhaltung:\n"
            "- Knie dich auf eine Matte und stelle die Hände unter die Schultern.\n"
            "- Mache beim Ausatmen den Rücken rund und lass den Kopf hängen.\n"
            "- Bleibe etwa 1 Minute so und atme ruhig weiter.\n"
            "- Danach kommst du langsam zurück in den geraden Rücken.\n")
    plan = _plan(text, fmt="text")
    assert len(plan) == 1
    assert "Katzenhaltung" in plan[0][0]
    assert plan[0][1] == [60]


def test_two_named_items_under_a_routine_title_with_its_rule_are_the_routine() -> None:
    # The title line over the rule scores as one timed exercise; the list under it is the
    # routine, however short.
    text = ("Morning stretches\n\nHold each stretch 20 seconds.\n\n"
            "- Calf stretch against the wall\n- Standing quad stretch\n")
    assert _plan(text, fmt="text") == [("Calf stretch against the wall", [20]),
                                       ("Standing quad stretch", [20])]


def test_a_run_of_bare_numbers_goes_on_in_the_next_line() -> None:
    text = ("Cool down\n1 Calves Face a wall and step one foot back. Hold 15 seconds. 2 Hip "
            "Flexors Kneel on one knee and shift forward. Hold 15 seconds. 3 Chest Clasp your "
            "hands behind your back. Hold 20 seconds.\n4 Side Reach Stand tall and reach one "
            "arm over your head. Hold 10 seconds.\n")
    assert [name for name, _ in _plan(text, fmt="text")] == [
        "Calves", "Hip Flexors", "Chest", "Side Reach"]


@pytest.mark.parametrize(("heading", "name"), [
    ("How to do the figure four stretch?", "figure four stretch"),
    ("How to Perform a Seated Twist Correctly", "Seated Twist"),
    ("Wie führe ich die Po- und Oberschenkeldehnung aus?", "Po- und Oberschenkeldehnung"),
    ("Comment faire l'étirement du psoas ?", "étirement du psoas"),
    ("¿Cómo se hace el estiramiento de gemelos?", "estiramiento de gemelos"),
    ("Come eseguire la torsione da seduti", "torsione da seduti"),
    ("Como fazer o alongamento de panturrilha:", "alongamento de panturrilha"),
])
def test_a_heading_that_asks_how_to_do_an_exercise_names_it(heading: str, name: str) -> None:
    from narrator.parse import lang
    from narrator.parse.sections import asked_name

    code = {"How": "en", "Wie": "de", "Com": "fr", "¿Có": "es", "Come": "it", "Como": "pt"}
    lex = lang.load(next(v for k, v in sorted(code.items(), key=lambda kv: -len(kv[0]))
                         if heading.startswith(k)))
    assert asked_name(heading, lex) == name
    assert asked_name("Why stretching helps your back", lang.load("en")) == ""


def test_steps_under_a_how_to_heading_are_that_one_exercise() -> None:
    # Read as a list, the numbered orders name nothing and the page is refused; the
    # question heading over them says which one exercise they are the steps of.
    text = ("Nach dem Laufen gönnen wir uns immer diese kleine Übung für die Beine.\n\n"
            "Wie macht man die Dehnung der Oberschenkelrückseite richtig?\n\n"
            "1. Setzt euch auf den Boden und streckt beide Beine nach vorn.\n"
            "2. Beugt euch langsam aus der Hüfte nach vorn, der Rücken bleibt lang.\n"
            "3. Danach greift ihr nach den Schienbeinen oder den Füßen.\n"
            "4. Haltet die Dehnung 40 Sekunden und atmet ruhig weiter.\n")
    plan = _plan(text, fmt="text")
    assert plan == [("Dehnung der Oberschenkelrückseite", [40])]


def test_once_more_with_the_other_leg_is_the_other_side_not_a_repeat() -> None:
    text = ("Wadendehnung\n\n"
            "Stellt euch vor eine Wand und setzt das rechte Bein nach hinten. "
            "Haltet 20 Sekunden. Dann macht ihr alles noch einmal mit dem linken Bein.\n")
    from narrator.parse import parse_text as parse
    routine = parse(text, fmt="text")
    assert [(h.seconds, h.side) for h in routine.exercises[0].holds] == [
        (20, "right"), (20, "left")]


@pytest.mark.parametrize(("text", "expected"), [
    ("Nach dem Radfahren mache ich immer zwei Dehnungen. Zuerst kommt die Wadendehnung an "
     "der Wand, 30 Sekunden pro Bein. Danach folgt die Oberschenkeldehnung im Stehen, "
     "ebenfalls 30 Sekunden je Bein.",
     [("Wadendehnung", [30, 30]), ("Oberschenkeldehnung", [30, 30])]),
    ("Dopo la corsa comincio con l'allungamento dei polpacci contro il muro, 20 secondi "
     "per gamba. Poi passo all'allungamento dei quadricipiti in piedi, tenendo 20 secondi "
     "per gamba.",
     [("Allungamento dei polpacci", [20, 20]), ("Allungamento dei quadricipiti", [20, 20])]),
    ("Começo com o alongamento do pescoço, inclinando a cabeça para o lado por 15 segundos "
     "de cada lado. Depois faço o alongamento dos ombros, cruzando o braço à frente do "
     "peito durante 20 segundos de cada lado.",
     [("Alongamento do pescoço", [15, 15]), ("Alongamento dos ombros", [20, 20])]),
])
def test_exercises_named_in_running_prose_are_read(
        text: str, expected: list[tuple[str, list[float]]]) -> None:
    # No list, no heading: each sentence that names a stretch of its own brings it in,
    # and the sentences after it, up to the next one, are its steps and dose.
    assert _plan(text, fmt="text") == expected


def test_a_stretch_named_in_passing_starts_no_exercise() -> None:
    from narrator.parse import lang
    from narrator.parse.prose import prose_name

    en = lang.load("en")
    assert prose_name("I start with a standing quad stretch, holding each leg.", en) == (
        "standing quad stretch")
    assert prose_name("You should feel the stretch in your hamstring.", en) == ""
    assert prose_name("For a deeper stretch, lean forward.", en) == ""
    assert prose_name("These stretches help.", en) == ""


@pytest.mark.parametrize(("code", "text", "order"), [
    ("it", "Bisogna mettersi in piedi in equilibrio su una gamba.", True),
    ("pt", "A pessoa deve empurrar os calcanhares para baixo.", True),
    ("fr", "Il faut tenir la jambe tendue devant soi.", True),
    ("es", "Una buena esterilla de yoga debe tener adherencia para las manos.", False),
    ("it", "Non bisogna mai allungare i muscoli ancora freddi.", False),
    ("en", "Should you stretch your legs before a run?", False),
    ("fr", "Il faut aussi penser au dos et aux épaules après la course.", False),
])
def test_an_order_through_a_modal_verb_says_what_to_do(code: str, text: str,
                                                        order: bool) -> None:
    from narrator.parse import lang
    from narrator.parse.confidence import _modal_order

    assert _modal_order(text, lang.load(code)) is order


@pytest.mark.parametrize(("text", "names"), [
    ("Tre minuti per il collo.\n\nPrimo esercizio: inclinate la testa verso la spalla destra "
     "e tenete 15 secondi.\n\nSecondo esercizio: portate il mento al petto e tenete 20 "
     "secondi.\n",
     ["Primo esercizio", "Secondo esercizio"]),
    ("Zwei Übungen für den Nacken.\n\nErste Übung: Den Kopf zur rechten Schulter neigen und "
     "15 Sekunden halten.\n\nZweite Übung: Das Kinn zur Brust ziehen und 20 Sekunden "
     "halten.\n",
     ["Erste Übung", "Zweite Übung"]),
])
def test_exercises_numbered_by_ordinals_are_the_list(text: str, names: list[str]) -> None:
    # "Primo esercizio:", "Erste Übung:": the number as an ordinal before the label word.
    assert [name for name, _ in _plan(text, fmt="text")] == names


@pytest.mark.parametrize(("code", "name", "one"), [
    ("en", "Late Policy", False),  # "lat" + "e" is no muscle
    ("en", "Yoga management software", False),  # a word of titles, not of one exercise
    ("es", "Cancelaciones y Reprogramaciones", False),  # "programa" inside a longer word
    ("en", "Seated Spinal Twist", True),
    ("en", "Lat stretch", True),
])
def test_what_names_one_exercise(code: str, name: str, one: bool) -> None:
    from narrator.parse import lang
    from narrator.parse.confidence import names_one_exercise
    from narrator.parse.sections import Section

    assert names_one_exercise(Section(name, "", (), 0, 1), lang.load(code)) is one


def test_prose_that_names_a_stretch_again_and_counts_rounds_of_the_sequence() -> None:
    # "the cobra" named three ways is one stretch; "repeat the whole sequence 3 times" is
    # rounds of the two, not reps of the last.
    text = ("Lie face down with your hands under your shoulders and press up into the cobra "
            "pose. The cobra pose arches the spine, so go slowly. In the cobra pose, hold "
            "for 20 seconds. Then sit back into the child's pose, arms long in front of you, "
            "and hold for 20 seconds. Repeat the whole sequence 3 times.")
    assert _plan(text, fmt="text") == [("Cobra pose", [20]), ("Child's pose", [20])] * 3


def test_prose_names_a_stretch_by_the_sentence_that_is_about_it() -> None:
    # First met in passing ("até ficar na posição de cobra"), then described ("A postura
    # da cobra é ..."): the description's words name it.
    text = ("Deite-se de bruços e empurre o chão até ficar na posição de cobra. A postura da "
            "cobra é uma extensão suave da coluna. Fique assim por 20 segundos. Depois "
            "sente-se sobre os calcanhares na postura da criança e fique por 20 segundos.")
    assert [name for name, _ in _plan(text, fmt="text")] == [
        "Postura da cobra", "Postura da criança"]


def test_plainly_numbered_orders_after_an_intro_stay_the_list() -> None:
    # "Étape 1." steps under an intro that names one pose are that pose; plain numbers
    # count exercises as often as steps, so they keep the list reading.
    text = ("O alongamento do pescoço alivia a tensão do dia.\n\n"
            "1. Sentar com as costas retas e inclinar a cabeça para o lado por 20 segundos.\n"
            "2. Deitar de costas e abraçar os joelhos por 20 segundos.\n"
            "3. Ficar de pé e esticar os braços para cima por 20 segundos.\n")
    assert len(_plan(text, fmt="text")) == 3


@pytest.mark.parametrize(("line", "files"), [
    ("IMG_0625 IMG_0619", True),
    ("3cpsFente3cpsFente1.JPG", True),
    ("IJDeb1 IJDeb2", True),
    ("photo.jpg", True),
    ("Step1", False),
    ("Stretch 2", False),
    ("TRICEPS SURAL", False),
    ("2x10", False),
])
def test_picture_file_names_left_in_a_copied_page_are_noise(line: str, files: bool) -> None:
    from narrator.parse.noise import is_file_names

    assert is_file_names(line) is files


def test_a_sheet_with_picture_file_names_between_its_exercises() -> None:
    text = ("ÉTIREMENTS DU COUREUR\n\n"
            "MOLLETS\n\nIMG_0625 IMG_0619\n\n"
            "Face au mur, reculez une jambe tendue, talon au sol. Tenez 30 secondes de chaque "
            "côté.\n\n"
            "QUADRICEPS\n\nQuadDeb1 QuadDeb2\n\n"
            "Debout, attrapez la cheville et amenez le talon vers la fesse. Tenez 30 secondes "
            "de chaque côté.\n")
    assert _plan(text, fmt="text") == [("MOLLETS", [30, 30]), ("QUADRICEPS", [30, 30])]


def _front_matter(lines: int, close: str) -> str:
    items = "".join(f"   -  name: Stretch {i}\n      duration: 45\n      mirror: true\n"
                    for i in range(lines))
    return f"---\nname: Timer app routine\nexercises:\n{items}{close}"


def test_yaml_front_matter_closed_at_the_end_of_the_file_is_settings() -> None:
    from narrator.parse.blocks import _FRONT_MATTER

    text = _front_matter(3, "---")  # the file ends on its closing line, with no newline
    found = _FRONT_MATTER.match(text)
    assert found is not None and found.end() == len(text)


def test_yaml_front_matter_never_closed_is_read_at_once() -> None:
    # Each indented line can be split between its spaces and the rest in several ways; a
    # pattern that tried them all, line after line, took minutes on 40 such lines.
    from narrator.parse.blocks import _FRONT_MATTER

    assert _FRONT_MATTER.match(_front_matter(40, "==== the end")) is None
    with pytest.raises(SourceError):
        parse_text(_front_matter(40, "- nothing closes this block"), source="t.md")


def test_once_opening_a_sentence_is_no_dose_for_a_page_of_one_part() -> None:
    # "Once things settle, ..." is a conjunction, not a count of one: a condition page with
    # body words and "each leg" in its prose stays refused.
    text = ("# Sciatica\n\nSciatica is pain along the sciatic nerve, which runs from the "
            "lower spine down the back of each leg to the sole of the foot. A slipped disc or "
            "a tight piriformis muscle are frequent causes.\n\nYour physiotherapist can show you "
            "gentle exercises for the early stage. Once things settle, more exercises are "
            "added.\n")
    with pytest.raises(SourceError, match="not a stretching routine"):
        parse_text(text, source="sciatica.md", fmt="markdown")


@pytest.mark.parametrize(("line", "language"), [
    ("You are here: Health / At work / Back exercises", "en"),
    ("Sie sind hier: Gesundheit / Im Büro / Rückenübungen", "de"),
    ("Siete qui: Attività motoria / Ginnastica da ufficio / Esercizi per il collo", "it"),
    ("Vous êtes ici : Santé / Au bureau / Exercices pour le dos", "fr"),
    # An advertisement's label between two exercises.
    ("ANNUNCIO", "it"),
    ("ADVERTISEMENT", "en"),
    # A header's byline and date set apart by a dot, and a picture's rights line.
    ("Par la rédaction · Publié le 14 mars 2022 à 07:00", "fr"),
    ("Bildrechte: IMAGO / Westend61", "de"),
    # An e-paper's section trail, one level of it unnamed.
    ("Wochenende - - Gesund leben -", "de"),
])
def test_a_you_are_here_trail_is_page_furniture(line: str, language: str) -> None:
    from narrator.parse.blocks import Block
    from narrator.parse.lang import load
    from narrator.parse.noise import is_noise_block

    assert is_noise_block(Block("paragraph", line), load(language))


def test_a_date_with_the_day_before_its_month_is_no_numbered_item() -> None:
    from narrator.parse.blocks import read_text
    from narrator.parse.lang import load

    lex = load("de")
    blocks = read_text("Wochenende\n14. Feb. 2019\n\n1. Nackendehnung\n", lex.step_words)
    assert [b.number for b in blocks if b.kind == "item"] == [1]


@pytest.mark.parametrize(("text", "language"), [
    ("## Thread the needle\n\nFrom all fours, slide your right arm under the left one and "
     "stay for a few breaths.\n", "en"),
    ("## Das Nadelöhr\n\nEine sanfte Dehnung für den oberen Rücken: im Vierfüßlerstand den "
     "rechten Arm unter der linken Schulter hindurchschieben und einige Atemzüge lang so "
     "bleiben.\n", "de"),
])
def test_one_exercise_held_for_a_few_breaths_is_read(text: str, language: str) -> None:
    # "a few breaths" leaves the number vague, but it is a hold all the same: the default.
    routine = parse_text(text, source="one.md", fmt="markdown")
    assert [len(e.holds) for e in routine.exercises] == [1]


def test_one_named_exercise_with_an_order_and_sides_but_no_time_is_read() -> None:
    # A user's own note of one stretch, no time given: one order about the body and both
    # sides are enough; a clinic's condition page with "each leg" in its prose is not.
    routine = parse_text("## Pigeon\n\nBring one knee forward and lower your hips. Switch "
                         "sides.\n", source="pigeon.md", fmt="markdown")
    assert [(e.name, len(e.holds)) for e in routine.exercises] == [("Pigeon", 2)]

def test_a_menu_bar_parted_by_runs_of_spaces_is_page_furniture() -> None:
    from narrator.parse.blocks import read_text
    from narrator.parse.lang import load
    from narrator.parse.noise import is_noise_block

    lex = load("es")
    blocks = read_text("Inicio   Servicios   Capacitaciones   Novedades   Contacto\n\n"
                       "Estiramiento de cuello\n\nInclina la cabeza 10 segundos.\n",
                       lex.step_words)
    assert blocks[0].text == "Inicio · Servicios · Capacitaciones · Novedades · Contacto"
    assert is_noise_block(blocks[0], lex)
    assert not any(is_noise_block(b, lex) for b in blocks[1:])


@pytest.mark.parametrize("labels", [("étape", "etape"), ("etape", "étape")])
def test_a_bare_step_label_is_read_whatever_the_order_of_its_words(
        labels: tuple[str, ...]) -> None:
    # The label words come from a set: their order must not change what a name is.
    from dataclasses import replace

    from narrator.parse.confidence import _bare_step_label
    from narrator.parse.lang import load

    lex = replace(load("fr"), step_labels=labels)
    assert _bare_step_label("Etape 1", lex)
    assert _bare_step_label("Étape 2", lex)
    assert not _bare_step_label("Étape 1 : le chat", lex)


def test_one_label_giving_several_doses_is_not_one_exercise() -> None:
    # A book's pages whose exercise names ran into their text: each "Do:" line is one
    # exercise's dose, so the text is several exercises, not one.
    from narrator.parse.confidence import not_one_exercise
    from narrator.parse.lang import load

    lex = load("en")
    card = ("Kneel on one knee and push the hip forward until the thigh stretches.\n"
            "Do: 2 x 45 secs each side\n"
            "Lie on your side and open the top arm across your chest.\n"
            "Do: 10 reps each side\n")
    assert "several doses" in not_one_exercise(card, lex)
    fields = ("Kneel on one knee and push the hip forward until the thigh stretches.\n"
              "Duration: 45 secs\nRepetitions: 2 each side\n")
    assert not_one_exercise(fields, lex) == ""


@pytest.mark.parametrize(("code", "line", "author"), [
    ("en", "By Jane Doe", "Jane Doe"),
    ("en", "by the Mayo Clinic Staff", "the Mayo Clinic Staff"),
    ("fr", "Par la Rédaction", "la Rédaction"),
    ("de", "Von Anna Berger | 12. März 2024", "Anna Berger"),
    ("es", "Por Lucía Gómez", "Lucía Gómez"),
    # A sentence that starts with the byline's word is no byline.
    ("es", "Por ejemplo, estira la pierna", None),
    ("en", "By bending the knee you ease it", None),
])
def test_a_byline_in_its_language_names_the_author(code: str, line: str,
                                                   author: str | None) -> None:
    # The author goes into the MP3's tags; the byline is never an exercise.
    from narrator.parse.blocks import Block
    from narrator.parse.lang import load
    from narrator.parse.noise import author_of

    assert author_of(Block("paragraph", line), load(code)) == author


@pytest.mark.parametrize(("line", "furniture"), [
    ("21/03/2021 06:00 \u00b7 atualizado 21/03/2021 07:12", True),
    ("Updated 8:02am, 21 January 2025", True),
    ("Updated July 09, 2013", True),
    ("Hold 30 s, then switch: 12.03.2024", False),
])
def test_a_date_with_its_time_of_day_is_a_date_line(line: str, furniture: bool) -> None:
    from narrator.parse.noise import is_date_line

    assert is_date_line(line) is furniture


@pytest.mark.parametrize(("code", "heading"), [
    ("en", "2 Responses to Sciatica stretch"),
    ("en", "3 thoughts on Evening stretches"),
    ("de", "4 Kommentare"),
    ("es", "2 respuestas a Estiramiento de isquios"),
    ("fr", "5 commentaires"),
    ("it", "3 risposte a Allungamento del collo"),
    ("pt", "2 comentários"),
])
def test_a_count_of_comments_heads_the_comments_not_an_exercise(code: str, heading: str,
                                                                  ) -> None:
    from narrator.parse import lang
    from narrator.parse.noise import is_outro_heading

    assert is_outro_heading(heading, lang.load(code))
    assert not is_outro_heading("2 Hamstring stretches", lang.load("en"))


LABELS_NO_BLANKS = """stretches for after a ride
hold each one for 25 seconds, both sides:
calf:
heel down on the kerb and lean forward.
front thigh:
take hold of your ankle and bring the heel up.
glute:
cross one ankle over the other knee and hug the leg in.
"""

HOW_FIELDS_NO_BLANKS = """Three easy stretches
Hold each one for 25 seconds.
Calf stretch
How:
heel down on the kerb and lean forward.
Quad stretch
How:
take hold of your ankle and bring the heel up.
Glute stretch
How:
cross one ankle over the other knee and hug the leg in.
"""


def test_colon_labels_typed_without_blank_lines_name_the_exercises() -> None:
    # A note typed line after line: each short label ending in a colon is an exercise's
    # name over its text; the same label again and again ("How:") is a field instead.
    assert _plan(LABELS_NO_BLANKS, fmt="text") == [
        ("calf", [25, 25]), ("front thigh", [25, 25]), ("glute", [25, 25])]
    assert _colon_labels(LABELS_NO_BLANKS.splitlines()) == [2, 4, 6]
    assert _colon_labels(HOW_FIELDS_NO_BLANKS.splitlines()) == []


@pytest.mark.parametrize(("line", "furniture"), [
    ("March 2019 \u00b7 Fitness \u00b7 4 Comments", True),
    ("Por In\u00eas Tavares | 22 Ago 2023 \u00b7 Leitura: 3 min", True),
    ("Since 2019 \u00b7 we have taught yoga to runners and office workers alike", False),
])
def test_a_post_facts_line_with_its_month_and_year_is_furniture(line: str,
                                                                furniture: bool) -> None:
    from narrator.parse.noise import _is_meta_line

    assert _is_meta_line(line) is furniture


CAPTIONED = """Hip Opener Stretch
Kneel on one knee and ease the hips forward until the front of the hip stretches. Hold for
20 seconds, then switch sides.

{caption}
Calf Stretch
Press your hands into a wall and step one foot back, heel down. Hold 20 seconds a side.
"""


@pytest.mark.parametrize(("caption", "exercises"), [
    # A picture's caption under an exercise's text says its name again, in other words.
    ("Hip Opener Stretch", 2),
    ("Hip Opener Stretch with a side bend", 2),
    ("Hip Opener", 2),
    # Names that share only two words, or differ in a number, are two exercises.
    ("Standing Hip Rotation", 3),
    ("Hip Opener Stretch 2", 3),
])
def test_a_caption_saying_the_name_again_is_no_exercise(caption: str, exercises: int) -> None:
    assert len(_plan(CAPTIONED.format(caption=caption), fmt="text")) == exercises


@pytest.mark.parametrize(("code", "title", "count"), [
    ("it", "10 esercizi per il collo", 10),
    ("pt", "7 dicas de alongamento para idosos", 7),
    ("es", "5 consejos de estiramiento para la oficina", 5),
    # A time is no count of exercises.
    ("pt", "10 minutos de alongamento", None),
])
def test_a_title_that_counts_its_exercises(code: str, title: str, count: int | None) -> None:
    from narrator.parse.lang import load
    from narrator.parse.sections import announced_count

    assert announced_count(title, load(code)) == count


def test_a_box_of_possible_mistakes_between_exercises_is_no_exercise() -> None:
    # A health portal's "Möglicher Fehler bei dieser Übung" box under each exercise tells
    # what goes wrong, not what to do next.
    text = ("Nackenübungen\n\n"
            "Schulterheben\n\nHeben Sie beide Schultern langsam zu den Ohren und halten Sie sie "
            "20 Sekunden oben.\n\n"
            "Möglicher Fehler bei dieser Übung\n\nSpüren Sie nichts, ziehen Sie die Schultern "
            "vielleicht nicht hoch genug. Halten Sie dann 20 Sekunden länger.\n\n"
            "Kopfdrehen\n\nDrehen Sie den Kopf langsam nach rechts und halten Sie 10 Sekunden, "
            "dann nach links.\n\n"
            "Kinn zur Brust\n\nSenken Sie das Kinn zur Brust und halten Sie 15 Sekunden.\n")
    names = [name for name, _ in _plan(text, fmt="text")]
    assert names == ["Schulterheben", "Kopfdrehen", "Kinn zur Brust"]


def _math_bold(text: str) -> str:
    """Capitals and digits as a social post fakes bold: mathematical sans-serif bold."""
    return "".join(chr(0x1D5D4 + ord(c) - ord("A")) if "A" <= c <= "Z" else
                   chr(0x1D7EC + ord(c) - ord("0")) if c.isdigit() else c for c in text)


def test_names_in_mathematical_bold_read_as_their_letters() -> None:
    # A post's fake bold name is the name in plain letters, its digits numbers.
    text = (f"{_math_bold('1. HIP SHIFTS')}\nSit with both knees bent to one side and hold "
            f"for {_math_bold('30')} seconds, then switch sides.\n\n{_math_bold('2. CHILD')}'"
            f"{_math_bold('S POSE')}\nKneel, sit back on your heels and rest your forehead on "
            "the floor for 20 seconds.\n")
    assert _plan(text, "text") == [("HIP SHIFTS", [30, 30]), ("CHILD'S POSE", [20])]


def test_orders_in_voseo_say_what_to_do() -> None:
    # Argentine and Uruguayan Spanish give orders in voseo ("estirate", "sostené", "soltá"),
    # and "talones" is a body part as "talón" is.
    from narrator.parse import confidence
    from narrator.parse.lang import load
    from narrator.parse.sections import Section

    lex = load("es")
    section = Section("Tocar los talones", "", (), 0, 1)
    text = "Desde parado, estirate hacia los pies. Soltá despacio y repetí tres veces."
    assert confidence.says_what_to_do(replace(section, inline=text), lex)
    assert confidence.about_the_body(replace(section, name="Tocar", inline="rozá los talones "
                                             "con los dedos"), lex)


@pytest.mark.parametrize(("name", "language", "found"), [
    ("Etirement des epaules", "fr", True),
    ("ESTIRAMIENTO DE CUADRICEPS", "es", True),
    # An umlaut lost makes another German word: "drucken" (print) is no "drücken".
    ("Beitrag teilen | Drucken", "de", False),
])
def test_names_written_without_their_accents(name: str, language: str, found: bool) -> None:
    from narrator.parse.confidence import _exercise_words_in
    from narrator.parse.lang import load

    assert bool(_exercise_words_in(name, load(language))) is found


def test_a_muscle_named_by_its_letters_is_an_exercise_heading() -> None:
    # Running sites name the tensor fasciae latae "TFL": a muscle, not a credit in capitals.
    text = ("Runner's recovery\n\nHold each of the stretches below for 30 seconds on each "
            "side.\n\nHip Flexor\n\nKneel with the right foot forward and lean into the front "
            "hip.\n\nTFL\n\nStand side-on to a wall, cross the outside leg in front and push "
            "the hips towards the wall.\n\nAdductors\n\nStand with the feet wide and bend one "
            "knee until the inner thigh of the straight leg pulls.\n")
    assert [name for name, _ in _plan(text, "text")] == ["Hip Flexor", "TFL", "Adductors"]


def test_a_german_workout_compound_titles_the_routine() -> None:
    # "Büro-Workout: 10 Minuten ..." names the routine, its ten minutes no hold.
    text = ("Büro-Workout: 10 Minuten für Nacken und Schultern\n\nLanges Sitzen macht steif. "
            "Diese Übungen helfen in der Pause.\n\nNacken dehnen\n\nNeigen Sie den Kopf zur "
            "rechten Schulter und halten Sie 15 Sekunden, dann die Seite wechseln.\n\n"
            "Schultern heben\n\nZiehen Sie beide Schultern zu den Ohren und halten Sie 5 "
            "Sekunden. Fünfmal wiederholen.\n")
    assert [name for name, _ in _plan(text, "text")] == ["Nacken dehnen", "Schultern heben"]
