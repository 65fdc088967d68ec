"""Stored task scores are parsed from their JSON text in one pass, and the same as row by row when lists differ."""
from assessments.stats.loading import text_score_matrix


def test_equal_lists_are_parsed_at_once_and_ragged_ones_padded():
    assert text_score_matrix(["[1, 0, 2]", "[10,0,1]"], 3).tolist() == [[1, 0, 2], [10, 0, 1]]
    assert text_score_matrix(["[1, 0]", "[]", "[2, 1, 1, 3]"], 3).tolist() == [[1, 0, 0], [0, 0, 0], [2, 1, 1]]
    assert text_score_matrix(["[]", "[1]"], 1).tolist() == [[0], [1]]
    assert text_score_matrix([], 4).shape == (0, 4)
