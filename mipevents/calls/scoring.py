"""Review scores: who may see whose, and the average. Pure: plain values in and out.

As in pretalx, a reviewer sees the others' scores of an application only once they have scored it
themselves, so the first opinion does not steer the rest."""
from dataclasses import dataclass

SCORES = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Score:
    reviewer_id: int
    score: int


def may_see_scores(viewer_id: int, scores: list[Score]) -> bool:
    """Whether `viewer_id` may see the scores of an application with these scores."""
    return any(s.reviewer_id == viewer_id for s in scores)


def visible_scores(viewer_id: int, scores: list[Score]) -> list[Score]:
    """Every score once the viewer has scored; else nothing (not even the count of others)."""
    return list(scores) if may_see_scores(viewer_id, scores) else []


def average(scores: list[Score]) -> float | None:
    """The mean score to one decimal place, None without scores."""
    if not scores:
        return None
    return round(sum(s.score for s in scores) / len(scores), 1)
