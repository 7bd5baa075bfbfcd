from mipevents.calls.scoring import Score, average, may_see_scores, visible_scores


def test_a_reviewer_who_has_not_scored_sees_nothing():
    scores = [Score(1, 5), Score(2, 3)]
    assert may_see_scores(3, scores) is False
    assert visible_scores(3, scores) == []


def test_a_reviewer_sees_every_score_once_they_scored():
    scores = [Score(1, 5), Score(2, 3), Score(3, 1)]
    assert may_see_scores(3, scores) is True
    assert visible_scores(3, scores) == scores


def test_the_first_reviewer_sees_only_their_own():
    assert visible_scores(1, [Score(1, 4)]) == [Score(1, 4)]


def test_average_to_one_decimal():
    assert average([Score(1, 5), Score(2, 4), Score(3, 4)]) == 4.3
    assert average([]) is None
