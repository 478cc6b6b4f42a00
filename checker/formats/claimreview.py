"""schema.org ClaimReview JSON-LD: one review per claim and article with a verdict."""

from __future__ import annotations

import json

from checker.formats.context import RenderContext

RATING = {"supports": 5, "asserts": 3, "denies": 3, "mixed": 2, "contradicts": 1}


def render(context: RenderContext) -> str:
    """Render schema.org ClaimReview JSON-LD."""
    report = context.report
    articles = {a.id: a for a in report.articles}
    reviews = []
    for claim in report.claims:
        for cell in claim.cells:
            if cell.verdict.value not in RATING:
                continue  # only mentions of another occasion: no answer to review
            article = articles[cell.article]
            said = ", ".join(cell.asserted) or "not " + ", ".join(cell.denied)
            reviews.append(
                {
                    "@type": "ClaimReview",
                    "claimReviewed": f"{claim.question} {said}",
                    "itemReviewed": {
                        "@type": "Claim",
                        "appearance": {
                            "@type": "CreativeWork",
                            "url": article.metadata.get("url") or article.path,
                            "headline": article.title,
                        },
                    },
                    "reviewRating": {
                        "@type": "Rating",
                        "ratingValue": RATING[cell.verdict.value],
                        "bestRating": 5,
                        "worstRating": 1,
                        "alternateName": cell.verdict.value,
                    },
                    "author": {"@type": "Organization", "name": "crossfact"},
                    "identifier": f"{claim.id}@{cell.article}",
                }
            )
    document = {"@context": "https://schema.org", "@graph": reviews}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
