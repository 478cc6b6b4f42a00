"""Judgement: matching, the sentence view, mention rules, analysis, judging, reduction."""
