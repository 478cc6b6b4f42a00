"""Articles: sentence splitting, line roles (anatomy), page chrome and the article parser."""
