"""A survey's results, for staff: counts and averages per question, who would try what they heard
(the showcase's ideas one by one), and the answers as a CSV file with no names."""
import csv
import io
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from mipevents.core.text import csv_cell
from mipevents.extensions import db
from mipevents.followup.models import Survey, SurveyAnswer
from mipevents.followup.queries import TRY_CHOICES, ideas_asked


@dataclass
class QuestionResult:
    text: str
    kind: str
    counts: list = field(default_factory=list)     # [(label, n)]
    average: float | None = None
    texts: list = field(default_factory=list)


@dataclass
class Results:
    survey: Survey
    answers: int
    questions: list
    try_counts: list                               # [(label, n)]
    try_share_yes: float | None
    try_what: list
    ideas: list                                    # [(slot, yes, answered, share)]


def _share(yes: int, answered: int) -> float | None:
    return round(yes / answered, 3) if answered else None


def results(survey: Survey) -> Results:
    rows = [a.answers for a in db.session.execute(select(SurveyAnswer).where(
        SurveyAnswer.survey_id == survey.id).order_by(SurveyAnswer.id)).scalars()]
    questions = []
    for q in survey.questions:
        given = [r[q["key"]] for r in rows if q["key"] in r]
        result = QuestionResult(q["text"], q["kind"])
        if q["kind"] == "rating":
            counter = Counter(given)
            result.counts = [(str(n), counter.get(n, 0)) for n in range(1, 6)]
            result.average = round(sum(given) / len(given), 2) if given else None
        elif q["kind"] == "choice":
            counter = Counter(given)
            result.counts = [(o, counter.get(o, 0)) for o in q["options"]]
        else:
            result.texts = given
        questions.append(result)
    tries = Counter(r["try"] for r in rows if "try" in r)
    ideas = []
    for slot in ideas_asked(survey):
        said = Counter(r[f"try:{slot.id}"] for r in rows if f"try:{slot.id}" in r)
        answered = sum(said.values())
        ideas.append((slot, said.get("yes", 0), answered, _share(said.get("yes", 0), answered)))
    return Results(survey, len(rows), questions, [(label, tries.get(key, 0)) for key, label in TRY_CHOICES],
                   _share(tries.get("yes", 0), sum(tries.values())), [r["try_what"] for r in rows if "try_what" in r],
                   ideas)


def results_csv(survey: Survey) -> str:
    """One row per answer (no names: answers are private to staff, and the file travels)."""
    slots = ideas_asked(survey)
    header = ["answered_at"] + [q["text"] for q in survey.questions] + ["Will you try something from this in your city?",
                                                                        "What?"] + [f"Try: {s.title}" for s in slots]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_cell(h) for h in header])
    for row in db.session.execute(select(SurveyAnswer).where(SurveyAnswer.survey_id == survey.id)
                                  .order_by(SurveyAnswer.id)).scalars():
        a = row.answers
        writer.writerow([csv_cell(v) for v in [row.updated_at.isoformat()] + [a.get(q["key"], "") for q in survey.questions]
                         + [a.get("try", ""), a.get("try_what", "")] + [a.get(f"try:{s.id}", "") for s in slots]])
    return out.getvalue()
